package dev.jbuild.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.cli.Cli;
import dev.jbuild.cli.TestTars;
import dev.jbuild.store.testing.FakeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push, pull, login and logout in process, against the in-process {@link FakeRegistry}. */
class RegistryCommandsTest {
  @TempDir Path tmp;
  FakeRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    registry = FakeRegistry.start();
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  Cli cli(String root) {
    // docker's config in the test's own dir: never the user's credentials
    return new Cli(tmp.resolve(root)).withEnv("DOCKER_CONFIG", tmp.resolve("docker").toString());
  }

  String importImage(Cli cli, String name) throws Exception {
    Path tar = TestTars.write(tmp.resolve(name.replaceAll("[/:]", "_") + ".tar"),
        Map.of("etc/hostname", "box\n", "bin/hello", "#!/bin/sh\necho hi\n"));
    Cli.Result r = cli.run("import", tar.toString(), name);
    assertEquals(0, r.exitCode(), r::toString);
    return r.out().strip();
  }

  @Test
  void pushThenPullIntoAnEmptyStore() throws Exception {
    Cli a = cli("a");
    String id = importImage(a, "box:1");
    String dest = registry.host() + "/team/box:1";
    Cli.Result push = a.run("push", "box:1", dest);
    assertEquals(0, push.exitCode(), push::toString);
    String digest = push.out().strip();
    assertTrue(digest.matches("sha256:[a-f0-9]{64}"), push::toString);
    assertTrue(push.err().lines().anyMatch(l -> l.matches("Copying blob sha256:[a-f0-9]{12} done .*B")), push::toString);
    assertTrue(push.err().lines().anyMatch(l -> l.matches("Copying config sha256:[a-f0-9]{12} done .*B")), push::toString);

    Cli b = cli("b");
    Cli.Result pull = b.run("pull", dest);
    assertEquals(0, pull.exitCode(), pull::toString);
    assertEquals(id, pull.out().strip());
    assertTrue(pull.err().contains("Resolved " + registry.host() + " manifest " + digest), pull::toString);
    Cli.Result inspect = b.run("inspect", dest);
    assertTrue(inspect.out().contains(id), inspect::toString);
    assertEquals(0, b.run("verify").exitCode());

    // again: nothing to download
    Cli.Result again = b.run("pull", "-q", dest);
    assertEquals(id + "\n", again.out());
    assertEquals("", again.err());

    // pushing an image by its own name
    assertEquals(0, a.run("tag", "box:1", registry.host() + "/own/name:2").exitCode());
    Cli.Result own = a.run("push", registry.host() + "/own/name:2");
    assertEquals(digest, own.out().strip(), own::toString);
    assertTrue(registry.manifest("own/name", "2").isPresent());
  }

  @Test
  void pushNeedsADestinationForAnImageId() throws Exception {
    Cli a = cli("a");
    String id = importImage(a, "box:1");
    Cli.Result r = a.run("push", id.substring(7, 19));
    assertEquals(125, r.exitCode());
    assertTrue(r.err().contains("give a destination"), r::toString);
    assertEquals(125, a.run("push", "nosuch:1").exitCode());
  }

  @Test
  void pullOfAMissingImageIsOneCleanError() {
    Cli.Result r = cli("a").run("pull", registry.host() + "/no/such:1");
    assertEquals(125, r.exitCode());
    assertTrue(r.err().contains("\njbuild: pulling manifest no/such:1: HTTP 404 MANIFEST_UNKNOWN"), r::toString);
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("jbuild:")).count(), r::toString);
  }

  @Test
  void loginStoresCheckedCredentialsAndLogoutRemovesThem() throws Exception {
    registry.requireBasic("ci", "pw-1");
    Cli a = cli("a");
    importImage(a, "box:1");
    Path config = tmp.resolve("docker/config.json");

    Cli.Result denied = a.run("push", "box:1", registry.host() + "/team/box:1");
    assertEquals(125, denied.exitCode(), denied::toString);

    Cli.Result wrong = a.run("login", "-u", "ci", "-p", "nope", registry.host());
    assertEquals(125, wrong.exitCode(), wrong::toString);
    assertFalse(Files.exists(config), "a refused login stores nothing");

    Cli.Result ok = a.run("login", "-u", "ci", "-p", "pw-1", "http://" + registry.host() + "/v2/");
    assertEquals(0, ok.exitCode(), ok::toString);
    assertEquals("Login Succeeded!\n", ok.out());
    assertTrue(Files.readString(config).contains(registry.host()));

    assertEquals(0, a.run("push", "box:1", registry.host() + "/team/box:1").exitCode());
    Cli.Result pull = cli("b").run("pull", registry.host() + "/team/box:1");
    assertEquals(0, pull.exitCode(), pull::toString);

    Cli.Result out = a.run("logout", registry.host());
    assertEquals(0, out.exitCode(), out::toString);
    assertFalse(Files.readString(config).contains(registry.host()));
    Cli.Result again = a.run("logout", registry.host());
    assertEquals(125, again.exitCode());
    assertTrue(again.err().contains("not logged in to " + registry.host()), again::toString);
    assertEquals(125, cli("c").run("pull", registry.host() + "/team/box:1").exitCode());
  }

  @Test
  void mirrorsFromTheConfigFileServePullsBeforeTheRegistry() throws Exception {
    Cli a = cli("a");
    String id = importImage(a, "box:1");
    assertEquals(0, a.run("push", "box:1", registry.host() + "/team/box:1").exitCode());
    // the registry itself is a closed loopback port: only the mirror can answer
    Path conf = Files.writeString(tmp.resolve("jbuild.json"),
        "{\"registry-mirrors\": {\"127.0.0.1:9\": [\"http://" + registry.host() + "\"]}}");
    Cli b = cli("b").withEnv("JBUILD_CONFIG", conf.toString());
    Cli.Result pull = b.run("pull", "127.0.0.1:9/team/box:1");
    assertEquals(0, pull.exitCode(), pull::toString);
    assertEquals(id, pull.out().strip());
    assertEquals(0, b.run("inspect", "127.0.0.1:9/team/box:1").exitCode());

    // the store's own config.json is the default place
    Cli c = cli("c");
    Files.createDirectories(tmp.resolve("c"));
    Files.copy(conf, tmp.resolve("c/config.json"));
    assertEquals(0, c.run("pull", "127.0.0.1:9/team/box:1").exitCode());
  }

  @Test
  void platformIsChecked() {
    Cli.Result r = cli("a").run("pull", "--platform", "amd64", registry.host() + "/x:1");
    assertEquals(125, r.exitCode());
    assertTrue(r.err().contains("want os/arch[/variant]"), r::toString);
  }
}
