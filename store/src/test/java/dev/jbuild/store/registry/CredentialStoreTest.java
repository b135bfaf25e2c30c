package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbuild.store.JbuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  @TempDir Path tmp;

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  Path config(String json) throws IOException {
    Path dir = tmp.resolve("docker");
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("config.json"), json);
  }

  Map<String, String> env() {
    return Map.of("PATH", tmp.resolve("bin") + ":/usr/bin:/bin", "HOME", tmp.resolve("home").toString());
  }

  /** A docker-credential-NAME script answering get from a file of host=user:secret lines and logging its calls. */
  void helper(String name, String entries) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.writeString(tmp.resolve(name + ".db"), entries);
    Path script = bin.resolve("docker-credential-" + name);
    Files.writeString(script, """
        #!/bin/sh
        in=$(cat)
        echo "$1 $in" >> "%s"
        case "$1" in
          get)
            line=$(grep "^$in=" "%s" | head -n1)
            if [ -z "$line" ]; then echo "credentials not found in native keychain"; exit 1; fi
            v=${line#*=}; u=${v%%%%:*}; s=${v#*:}
            printf '{"ServerURL":"%%s","Username":"%%s","Secret":"%%s"}' "$in" "$u" "$s" ;;
          store|erase) exit 0 ;;
          *) exit 2 ;;
        esac
        """.formatted(tmp.resolve(name + ".log"), tmp.resolve(name + ".db")));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void readsAuthsByHostWhateverTheKeyLooksLike() throws IOException {
    Path f = config("{\"auths\":{\"https://reg.example:5000/v1/\":{\"auth\":\"" + b64("alice:pa:ss") + "\"},"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hubuser:hubpw") + "\"},"
        + "\"tok.example\":{\"identitytoken\":\"refresh-me\"}}}");
    CredentialStore s = new CredentialStore(f, env());
    assertEquals(Optional.of(Credentials.basic("alice", "pa:ss")), s.lookup("reg.example:5000"));
    assertEquals(Optional.of(Credentials.basic("hubuser", "hubpw")), s.lookup("docker.io"));
    assertEquals(Optional.of(Credentials.identityToken("refresh-me")), s.lookup("tok.example"));
    assertEquals(Optional.empty(), s.lookup("reg.example"));
    assertEquals(Optional.empty(), new CredentialStore(tmp.resolve("absent.json"), env()).lookup("x"));
  }

  @Test
  void findsTheFileThroughDockerConfigOrHome() throws IOException {
    Path f = config("{\"auths\":{\"r\":{\"auth\":\"" + b64("u:p") + "\"}}}");
    assertEquals(f, CredentialStore.fromEnvironment(Map.of("DOCKER_CONFIG", f.getParent().toString())).configFile());
    assertEquals(Optional.of(Credentials.basic("u", "p")),
        CredentialStore.fromEnvironment(Map.of("DOCKER_CONFIG", f.getParent().toString())).lookup("r"));
    assertEquals(tmp.resolve("home/.docker/config.json"), CredentialStore.fromEnvironment(env()).configFile());
  }

  @Test
  void credHelpersWinOverCredsStoreAndAuths() throws IOException {
    helper("pass", "special.example=carol:helper-secret\n");
    helper("desktop", "reg.example=dave:store-secret\nhttps://index.docker.io/v1/=<token>:hub-identity\n");
    Path f = config("{\"credsStore\":\"desktop\",\"credHelpers\":{\"special.example\":\"pass\"},"
        + "\"auths\":{\"reg.example\":{\"auth\":\"" + b64("ignored:x") + "\"}}}");
    CredentialStore s = new CredentialStore(f, env());
    assertEquals(Optional.of(Credentials.basic("carol", "helper-secret")), s.lookup("special.example"));
    assertEquals(Optional.of(Credentials.basic("dave", "store-secret")), s.lookup("reg.example"));
    assertEquals(Optional.of(Credentials.identityToken("hub-identity")), s.lookup("docker.io"));
    assertEquals(Optional.empty(), s.lookup("unknown.example"));
    assertTrue(Files.readString(tmp.resolve("pass.log")).contains("get special.example"));
  }

  @Test
  void missingHelperIsAClearError() throws IOException {
    Path f = config("{\"credsStore\":\"nosuch\"}");
    JbuildException e = assertThrows(JbuildException.class, () -> new CredentialStore(f, env()).lookup("r"));
    assertEquals("credential helper docker-credential-nosuch not found on PATH", e.getMessage());
  }

  @Test
  void loginAndLogoutRewriteTheFileAtomicallyWith0600() throws IOException {
    Path f = config("{\"auths\":{\"keep.example\":{\"auth\":\"" + b64("k:k") + "\"}},\"psFormat\":\"table\"}");
    CredentialStore s = new CredentialStore(f, env());
    s.login("127.0.0.1:5000", "alice", "s3cret");
    s.login("docker.io", "hub", "pw");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    JsonNode n = new ObjectMapper().readTree(f.toFile());
    assertEquals("table", n.path("psFormat").asText());
    assertEquals(b64("alice:s3cret"), n.path("auths").path("127.0.0.1:5000").path("auth").asText());
    assertEquals(b64("hub:pw"), n.path("auths").path(CredentialStore.DOCKER_HUB_KEY).path("auth").asText());
    assertEquals(Optional.of(Credentials.basic("alice", "s3cret")), s.lookup("127.0.0.1:5000"));
    assertEquals(Optional.of(Credentials.basic("k", "k")), s.lookup("keep.example"));

    assertTrue(s.logout("127.0.0.1:5000"));
    assertFalse(s.logout("127.0.0.1:5000"));
    assertEquals(Optional.empty(), s.lookup("127.0.0.1:5000"));
    assertEquals(Optional.of(Credentials.basic("hub", "pw")), s.lookup("docker.io"));
    try (Stream<Path> files = Files.list(f.getParent())) {
      assertEquals(1, files.count(), "temp files left behind");
    }
  }

  @Test
  void loginCreatesTheFileAndItsDirectory() throws IOException {
    CredentialStore s = CredentialStore.fromEnvironment(env());
    s.login("r.example", "u", "p");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.configFile())));
    assertEquals(Optional.of(Credentials.basic("u", "p")), s.lookup("r.example"));
  }

  @Test
  void loginThroughAHelper() throws IOException {
    helper("desktop", "");
    Path f = config("{\"credsStore\":\"desktop\"}");
    String before = Files.readString(f);
    new CredentialStore(f, env()).login("reg.example", "erin", "pw");
    assertEquals(before, Files.readString(f));
    String log = Files.readString(tmp.resolve("desktop.log"));
    assertTrue(log.contains("store {\"ServerURL\":\"reg.example\",\"Username\":\"erin\",\"Secret\":\"pw\"}"), log);
  }

  @Test
  void credentialsHideSecrets() {
    assertEquals("Credentials[alice:***]", Credentials.basic("alice", "pw").toString());
    assertFalse(Credentials.identityToken("t0k").toString().contains("t0k"));
    assertThrows(IllegalArgumentException.class, () -> new Credentials(null, null, null));
  }
}
