package dev.jbuild.store.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
  @Test
  void parsesABearerChallenge() {
    List<AuthChallenge> c = AuthChallenge.parse(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\"");
    assertEquals(1, c.size());
    assertTrue(c.get(0).isBearer());
    assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
        "scope", "repository:samalba/my-app:pull,push"), c.get(0).params());
  }

  @Test
  void parsesBasicWithSpacesAndEscapes() {
    List<AuthChallenge> c = AuthChallenge.parse("basic  Realm = \"my \\\"quoted\\\" realm\" , charset=UTF-8");
    assertEquals(1, c.size());
    assertTrue(c.get(0).isBasic());
    assertEquals("my \"quoted\" realm", c.get(0).param("realm").orElseThrow());
    assertEquals("UTF-8", c.get(0).param("charset").orElseThrow());
  }

  @Test
  void parsesSeveralChallengesInOneHeader() {
    List<AuthChallenge> c = AuthChallenge.parse(
        "Basic realm=\"x\", Bearer realm=\"https://t/token\",service=s,error=\"insufficient_scope\"");
    assertEquals(2, c.size());
    assertTrue(c.get(0).isBasic());
    assertEquals("x", c.get(0).param("realm").orElseThrow());
    assertTrue(c.get(1).isBearer());
    assertEquals("s", c.get(1).param("service").orElseThrow());
    assertEquals("insufficient_scope", c.get(1).param("error").orElseThrow());
  }

  @Test
  void printsBackWhatItParsed() {
    AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://t/token?a=b\",service=\"reg\"").get(0);
    assertEquals(List.of(c), AuthChallenge.parse(c.toString()));
  }

  @Test
  void toleratesGarbage() {
    assertEquals(List.of(), AuthChallenge.parse(""));
    assertEquals(List.of(), AuthChallenge.parse(null));
    assertEquals("Negotiate", AuthChallenge.parse("Negotiate abc==").get(0).scheme());
  }
}
