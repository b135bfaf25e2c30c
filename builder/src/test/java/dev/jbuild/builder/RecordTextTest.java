package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.instruction.Instruction;
import dev.jbuild.builder.instruction.InstructionParser;
import dev.jbuild.builder.parse.Parser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** RecordText gives exactly what toString gives, so cache keys do not change with it. */
class RecordTextTest {
  private static final String EVERY_INSTRUCTION = """
      # syntax=docker/dockerfile:1
      ARG BASE=scratch
      FROM --platform=linux/amd64 $BASE AS base
      MAINTAINER someone
      ARG A B=2
      ENV K=V K2="two words" \\
          K3=3
      LABEL a=b "c d"=e
      EXPOSE 80 443/tcp 53/udp 8000-8010
      VOLUME ["/data", "/logs"]
      VOLUME /one /two
      USER app:app
      WORKDIR /w
      SHELL ["/bin/bash", "-c"]
      STOPSIGNAL SIGQUIT
      HEALTHCHECK --interval=5s --timeout=3s --start-period=1s --retries=2 CMD curl -f http://localhost/ || exit 1
      HEALTHCHECK NONE
      ONBUILD RUN echo on build
      ONBUILD COPY . /app
      RUN echo shell form
      RUN ["echo", "exec", "form"]
      RUN --mount=type=cache,target=/root/.cache,id=c,sharing=locked --mount=type=bind,source=x,target=/x,rw \\
          --mount=type=tmpfs,target=/t,size=64m --mount=type=secret,id=s,target=/run/secrets/s,required=true \\
          --network=none --security=sandbox make
      RUN <<EOF
      echo heredoc
      EOF
      COPY --chown=1:2 --chmod=0644 --link --exclude=*.tmp a b /dst/
      COPY --from=base --parents /x/./y /z/
      COPY <<greeting.txt /
      hello
      greeting.txt
      ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 https://example.invalid/f /f
      ADD --keep-git-dir=false --unpack=true rootfs.tar /
      CMD ["/bin/sh", "-c", "echo hi"]
      ENTRYPOINT exec top -b
      FROM base
      """;

  @Test
  void sameTextAsToStringForEveryInstruction() throws Exception {
    List<Instruction> all = new ArrayList<>(InstructionParser.parseAll(Parser.parse("Buildfile", EVERY_INSTRUCTION)));
    // and the examples shipped with jbuild
    try (Stream<Path> files = Files.walk(Path.of("../Buildfile-examples"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals("Buildfile")).toList()) {
        all.addAll(InstructionParser.parseAll(Parser.parse("Buildfile", Files.readString(f))));
      }
    }
    Set<Class<?>> kinds = new HashSet<>();
    for (Instruction in : all) {
      assertEquals(in.toString(), RecordText.of(in));
      kinds.add(in.getClass());
    }
    assertTrue(kinds.size() >= 18, "instruction kinds covered: " + kinds);
  }

  record Inner(int n, Optional<String> s) {}

  record Outer(List<Inner> inners, Map<String, Inner> byName, OptionalInt i, Optional<Inner> o, String nul) {}

  record Custom(int n) {
    @Override
    public String toString() {
      return "custom " + n;
    }
  }

  record HasCustom(Custom c, List<Custom> cs) {}

  @Test
  void nestedValuesAndHandWrittenToStrings() {
    Outer o = new Outer(List.of(new Inner(1, Optional.of("x")), new Inner(2, Optional.empty())),
        Map.of("k", new Inner(3, Optional.empty())), OptionalInt.of(7), Optional.of(new Inner(4, Optional.empty())), null);
    assertEquals(o.toString(), RecordText.of(o));
    Outer empty = new Outer(List.of(), Map.of(), OptionalInt.empty(), Optional.empty(), "s");
    assertEquals(empty.toString(), RecordText.of(empty));
    HasCustom h = new HasCustom(new Custom(1), List.of(new Custom(2)));
    assertEquals(h.toString(), RecordText.of(h));
  }
}
