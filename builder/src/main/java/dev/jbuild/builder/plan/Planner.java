package dev.jbuild.builder.plan;

import dev.jbuild.builder.instruction.Arg;
import dev.jbuild.builder.instruction.ArgDecl;
import dev.jbuild.builder.instruction.Copy;
import dev.jbuild.builder.instruction.Env;
import dev.jbuild.builder.instruction.From;
import dev.jbuild.builder.instruction.Instruction;
import dev.jbuild.builder.instruction.InstructionParser;
import dev.jbuild.builder.instruction.Run;
import dev.jbuild.builder.instruction.RunMount;
import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.parse.Parser;
import dev.jbuild.builder.parse.SourceRange;
import dev.jbuild.builder.parse.Warning;
import dev.jbuild.builder.shell.ProcessResult;
import dev.jbuild.builder.shell.ShellLex;
import dev.jbuild.builder.shell.ShellSyntaxException;
import dev.jbuild.store.oci.Platform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes a {@link BuildPlan} from a parsed Buildfile: types every instruction, splits them into
 * stages, expands FROM lines with the global ARGs, finds the edges between stages and prunes the
 * stages the target does not need.
 */
public final class Planner {
  /** The automatic platform ARG names (values come from the target and build platforms). */
  public static final List<String> PLATFORM_ARGS =
      List.of(
          "TARGETPLATFORM",
          "TARGETOS",
          "TARGETARCH",
          "TARGETVARIANT",
          "BUILDPLATFORM",
          "BUILDOS",
          "BUILDARCH",
          "BUILDVARIANT");

  private Planner() {}

  /**
   * Plans a build.
   *
   * @throws BuildfileException for the first invalid instruction, a missing FROM, an unknown target
   *     or a bad stage reference
   */
  public static BuildPlan plan(ParseResult parsed, BuildOptions options) {
    List<Instruction> typed = InstructionParser.parseAll(parsed);
    return plan(parsed, typed, options, new ArrayList<>());
  }

  /**
   * Plans with already typed instructions (one per node); warnings are added to {@code warnings}.
   */
  static BuildPlan plan(
      ParseResult parsed, List<Instruction> typed, BuildOptions options, List<Warning> warnings) {
    ShellLex lex = new ShellLex(parsed.directives().escape());
    List<Warning> warn = warnings;
    Map<String, String> global = new LinkedHashMap<>(platformArgs(options.platform()));
    Set<String> metaNames = new LinkedHashSet<>();
    List<Arg> globalArgs = new ArrayList<>();
    int i = 0;
    for (; i < typed.size() && !(typed.get(i) instanceof From); i++) {
      Instruction in = typed.get(i);
      if (!(in instanceof Arg a)) {
        throw error(
            parsed,
            in.range(),
            "no build stage in current context: " + in.keyword() + " needs a FROM before it");
      }
      globalArgs.add(a);
      for (ArgDecl d : a.args()) {
        metaNames.add(d.name());
        if (options.buildArgs().containsKey(d.name())) {
          global.put(d.name(), options.buildArgs().get(d.name()));
        } else if (d.defaultValue().isPresent()) {
          global.put(d.name(), word(parsed, lex, d.defaultValue().get(), global, a.range()));
        } else if (!PLATFORM_ARGS.contains(d.name())) {
          global.remove(d.name());
        }
      }
    }
    if (i == typed.size()) {
      SourceRange at =
          typed.isEmpty() ? SourceRange.at(parsed.fileName(), 1, 1) : typed.getLast().range();
      throw error(parsed, at, "the Buildfile has no FROM: there is no stage to build");
    }
    List<Stage> stages = new ArrayList<>();
    Map<Integer, Set<Integer>> deps = new HashMap<>();
    Map<String, Integer> names = new HashMap<>();
    while (i < typed.size()) {
      From from = (From) typed.get(i);
      int index = stages.size();
      List<Instruction> body = new ArrayList<>();
      for (i++; i < typed.size() && !(typed.get(i) instanceof From); i++) {
        body.add(typed.get(i));
      }
      ProcessResult base = withMatches(parsed, lex, from.image(), global, from.range());
      for (String u : new TreeSet<>(base.unmatched())) {
        if (!metaNames.contains(u)) {
          warn.add(
              new Warning(
                  "UndefinedArgInFrom", "FROM argument '" + u + "' is not declared", from.range()));
        }
      }
      if (base.result().isBlank()) {
        throw error(parsed, from.range(), "base name (" + from.image() + ") should not be blank");
      }
      Optional<String> platform = Optional.empty();
      if (from.platform().isPresent()) {
        ProcessResult pr = withMatches(parsed, lex, from.platform().get(), global, from.range());
        pr.unmatched().stream()
            .filter(u -> !metaNames.contains(u))
            .sorted()
            .forEach(
                u ->
                    warn.add(
                        new Warning(
                            "UndefinedArgInFrom",
                            "FROM argument '" + u + "' is not declared",
                            from.range())));
        try {
          Platform.parse(pr.result());
        } catch (IllegalArgumentException e) {
          throw error(
              parsed,
              from.range(),
              "invalid --platform=" + from.platform().get() + ": " + e.getMessage());
        }
        platform = Optional.of(pr.result());
      }
      OptionalInt baseStage = OptionalInt.empty();
      Integer b = names.get(base.result().toLowerCase(Locale.ROOT));
      if (b != null) {
        baseStage = OptionalInt.of(b);
        deps.computeIfAbsent(index, k -> new TreeSet<>()).add(b);
      }
      if (from.stageName().isPresent()) {
        if (names.containsKey(from.stageName().get())) {
          throw error(
              parsed, from.range(), "duplicate stage name \"" + from.stageName().get() + "\"");
        }
        names.put(from.stageName().get(), index);
      }
      stages.add(
          new Stage(index, from.stageName(), from, base.result(), platform, baseStage, body));
    }
    BuildPlan draft =
        new BuildPlan(
            parsed,
            globalArgs,
            stages,
            Map.of(),
            stages.size() - 1,
            List.of(),
            global,
            options.buildArgs(),
            List.of());
    for (Stage s : stages) {
      Set<Integer> d = stageRefs(parsed, draft, s);
      if (!d.isEmpty()) {
        deps.computeIfAbsent(s.index(), k -> new TreeSet<>()).addAll(d);
      }
    }
    int target = stages.size() - 1;
    if (options.target().isPresent()) {
      String t = options.target().get();
      Integer idx = names.get(t.toLowerCase(Locale.ROOT));
      if (idx == null) {
        throw new BuildfileException(
            "target stage \""
                + t
                + "\" could not be found (stages: "
                + String.join(", ", draft.stageNames())
                + ")");
      }
      target = idx;
    }
    Set<Integer> needed = new TreeSet<>();
    Deque<Integer> todo = new ArrayDeque<>(List.of(target));
    while (!todo.isEmpty()) {
      int s = todo.pop();
      if (needed.add(s)) {
        todo.addAll(deps.getOrDefault(s, Set.of()));
      }
    }
    Map<Integer, Set<Integer>> frozen = new HashMap<>();
    deps.forEach(
        (k, v) -> frozen.put(k, java.util.Collections.unmodifiableSortedSet(new TreeSet<>(v))));
    List<Warning> all = new ArrayList<>(parsed.warnings());
    all.addAll(warn);
    return new BuildPlan(
        parsed,
        globalArgs,
        stages,
        frozen,
        target,
        List.copyOf(needed),
        global,
        options.buildArgs(),
        all);
  }

  /**
   * The stages an instruction of {@code s} copies or mounts from ({@code --from} values resolved
   * with the stage's ARGs).
   */
  private static Set<Integer> stageRefs(ParseResult parsed, BuildPlan draft, Stage s) {
    Set<Integer> out = new TreeSet<>();
    StageEnv env = draft.stageEnv(s.index(), List.of());
    // ARG/ENV are only expanded when a --from value needs variables, so that a stage whose
    // references are literal cannot fail planning over an expansion it does not use
    List<Instruction> pending = new ArrayList<>();
    for (Instruction in : s.instructions()) {
      List<String> froms = new ArrayList<>();
      switch (in) {
        case Arg a -> pending.add(a);
        case Env e -> pending.add(e);
        case Copy c when c.from().isPresent() -> froms.add(c.from().get());
        case Run r -> {
          for (RunMount m : r.mounts()) {
            if (m.from().isPresent()
                && m.type() != RunMount.Type.SECRET
                && m.type() != RunMount.Type.SSH) {
              froms.add(m.from().get());
            }
          }
        }
        default -> {}
      }
      for (String from : froms) {
        String value = from;
        if (from.contains("$")) {
          pending.forEach(env::expand);
          pending.clear();
          value = expandWord(env, from, in.range(), parsed);
        }
        ref(parsed, draft, s, in.range(), value).ifPresent(out::add);
      }
    }
    return out;
  }


  private static String expandWord(StageEnv env, String w, SourceRange at, ParseResult parsed) {
    try {
      return env.word(w);
    } catch (ShellSyntaxException e) {
      throw new BuildfileException(e.getMessage(), at, parsed.line(at.start().line()), e);
    }
  }

  /** The earlier stage a {@code --from} value names, or empty when it names an image. */
  private static Optional<Integer> ref(
      ParseResult parsed, BuildPlan draft, Stage s, SourceRange at, String from) {
    if (from.matches("[0-9]+")) {
      int n;
      try {
        n = Integer.parseInt(from);
      } catch (NumberFormatException e) {
        n = Integer.MAX_VALUE;
      }
      if (n >= s.index()) {
        throw error(
            parsed,
            at,
            "invalid --from="
                + from
                + ": stage "
                + from
                + " is not defined before this stage ("
                + s.index()
                + ")");
      }
      return Optional.of(n);
    }
    Optional<Stage> st = findStage(draft.stages(), from, draft.stages().size());
    if (st.isPresent()) {
      if (st.get().index() >= s.index()) {
        throw error(
            parsed,
            at,
            "invalid --from=" + from + ": stage \"" + from + "\" is not defined before this stage");
      }
      return Optional.of(st.get().index());
    }
    return Optional.empty();
  }

  static Optional<Stage> findStage(List<Stage> stages, String name, int before) {
    if (name.matches("[0-9]{1,9}")) {
      int n = Integer.parseInt(name);
      return n < before && n < stages.size() ? Optional.of(stages.get(n)) : Optional.empty();
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return stages.stream()
        .limit(before)
        .filter(s -> s.name().equals(Optional.of(lower)))
        .findFirst();
  }

  static Set<String> unusedBuildArgs(BuildPlan plan) {
    Set<String> declared = new HashSet<>(PLATFORM_ARGS);
    declared.addAll(StageEnv.PROXY_ARGS);
    plan.globalArgs().forEach(a -> a.args().forEach(d -> declared.add(d.name())));
    for (Stage s : plan.stages()) {
      for (Instruction in : s.instructions()) {
        if (in instanceof Arg a) {
          a.args().forEach(d -> declared.add(d.name()));
        }
      }
    }
    Set<String> out = new TreeSet<>(plan.buildArgs().keySet());
    out.removeAll(declared);
    return out;
  }

  /** The automatic platform ARGs for a target platform (the build platform is this machine's). */
  public static Map<String, String> platformArgs(Platform target) {
    Map<String, String> m = new LinkedHashMap<>();
    Platform build = buildPlatform();
    m.put("TARGETPLATFORM", target.toString());
    m.put("TARGETOS", target.os());
    m.put("TARGETARCH", target.architecture());
    m.put("TARGETVARIANT", target.variant() == null ? "" : target.variant());
    m.put("BUILDPLATFORM", build.toString());
    m.put("BUILDOS", build.os());
    m.put("BUILDARCH", build.architecture());
    m.put("BUILDVARIANT", build.variant() == null ? "" : build.variant());
    return m;
  }

  static Platform buildPlatform() {
    String arch =
        switch (System.getProperty("os.arch", "amd64")) {
          case "x86_64", "amd64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> System.getProperty("os.arch");
        };
    return new Platform(arch, "linux", null, null, null);
  }

  /**
   * The instructions of ONBUILD triggers stored in a base image, typed and checked (they run at the
   * start of the stage, before its own instructions, and are expanded like them).
   */
  public static List<Instruction> parseTriggers(List<String> expressions) {
    List<Instruction> out = new ArrayList<>();
    for (String e : expressions) {
      Instruction in = InstructionParser.parse(Parser.parse("ONBUILD", e).children().get(0));
      if (in instanceof From
          || in instanceof dev.jbuild.builder.instruction.Onbuild
          || in instanceof dev.jbuild.builder.instruction.Maintainer) {
        throw new BuildfileException(
            in.keyword() + " isn't allowed as an ONBUILD trigger", in.range(), e, null);
      }
      out.add(in);
    }
    return out;
  }

  private static String word(
      ParseResult parsed, ShellLex lex, String w, Map<String, String> scope, SourceRange at) {
    return withMatches(parsed, lex, w, scope, at).result();
  }

  private static ProcessResult withMatches(
      ParseResult parsed, ShellLex lex, String w, Map<String, String> scope, SourceRange at) {
    try {
      StageEnv.checkNesting(w);
      return lex.processWordWithMatches(w, dev.jbuild.builder.shell.Env.of(scope));
    } catch (ShellSyntaxException e) {
      throw new BuildfileException(e.getMessage(), at, parsed.line(at.start().line()), e);
    } catch (BuildfileException e) {
      throw e.located(at, parsed.line(at.start().line()));
    }
  }

  private static BuildfileException error(ParseResult parsed, SourceRange at, String message) {
    return new BuildfileException(message, at, parsed.line(at.start().line()), null);
  }
}
