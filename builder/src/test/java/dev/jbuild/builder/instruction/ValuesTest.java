package dev.jbuild.builder.instruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.builder.parse.BuildfileException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void goDurations() {
    assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m"));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
    assertEquals(Duration.ofNanos(50), GoDuration.parse("50ns"));
    assertEquals(Duration.ofNanos(2000), GoDuration.parse("2µs"));
    assertEquals(Duration.ZERO, GoDuration.parse("0"));
    assertEquals(Duration.ofSeconds(-3), GoDuration.parse("-3s"));
    assertEquals(
        "time: missing unit in duration \"10\"",
        assertThrows(BuildfileException.class, () -> GoDuration.parse("10")).getMessage());
    assertEquals(
        "time: unknown unit \"d\" in duration \"1d\"",
        assertThrows(BuildfileException.class, () -> GoDuration.parse("1d")).getMessage());
    assertThrows(BuildfileException.class, () -> GoDuration.parse(""));
    assertThrows(BuildfileException.class, () -> GoDuration.parse("."));
    assertThrows(BuildfileException.class, () -> GoDuration.parse("99999999999h"));
    assertEquals("1h30m0s", GoDuration.format(Duration.ofMinutes(90)));
    assertEquals("1.5s", GoDuration.format(Duration.ofMillis(1500)));
    assertEquals("1ms", GoDuration.format(Duration.ofMillis(1)));
  }

  @Test
  void ports() {
    assertEquals(new PortSpec(80, 80, "tcp"), PortSpec.parse("80"));
    assertEquals("8000-8010/udp", PortSpec.parse("8000-8010/UDP").toString());
    assertEquals("53/sctp", PortSpec.parse("53/sctp").toString());
    for (String bad :
        List.of("", "80/", "x", "80/icmp", "70000", "90-80", "-1", "80-", "1/tcp/udp")) {
      assertThrows(BuildfileException.class, () -> PortSpec.parse(bad), bad);
    }
  }

  @Test
  void mounts() {
    RunMount m =
        RunMount.parse("type=secret,id=npmrc,target=/root/.npmrc,required,mode=0400,uid=1000");
    assertEquals(RunMount.Type.SECRET, m.type());
    assertEquals(Optional.of("npmrc"), m.id());
    assertEquals(0400, m.mode().getAsLong());
    assertEquals(1000, m.uid().getAsLong());
    assertEquals(true, m.required());
    assertEquals(true, m.readOnly());
    RunMount t = RunMount.parse("type=tmpfs,dst=/t,size=64m");
    assertEquals(64L << 20, t.size().getAsLong());
    assertEquals(false, t.readOnly());
    RunMount c = RunMount.parse("type=cache,target=/c,sharing=locked,ro");
    assertEquals(RunMount.Sharing.LOCKED, c.sharing());
    assertEquals(true, c.readOnly());
    RunMount b = RunMount.parse("\"target=/a,b\",rw");
    assertEquals(Optional.of("/a,b"), b.target());
    assertEquals(false, b.readOnly());
    assertEquals(RunMount.Type.SSH, RunMount.parse("type=ssh").type());
    for (String bad :
        List.of(
            "type=bind",
            "type=cache,target=/c,sharing=weird",
            "type=bind,target=/x,uid=1",
            "type=secret",
            "type=secret,id=a,source=b",
            "type=tmpfs,target=/t,size=lots",
            "type=bind,target=/x,required",
            "target=/x,from=$X",
            "type=cache,target=/c,mode=999",
            "bogus")) {
      assertThrows(BuildfileException.class, () -> RunMount.parse(bad), bad);
    }
  }

  @Test
  void suggestions() {
    assertEquals(Optional.of("RUN"), Suggest.closest("RUNN", InstructionParser.KEYWORDS, false));
    assertEquals(Optional.of("copy"), Suggest.closest("cpy", InstructionParser.KEYWORDS, false));
    assertEquals(Optional.empty(), Suggest.closest("FROB", List.of("RUN"), false));
    assertEquals(Optional.empty(), Suggest.closest("run", InstructionParser.KEYWORDS, false));
  }
}
