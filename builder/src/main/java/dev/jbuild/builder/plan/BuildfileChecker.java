package dev.jbuild.builder.plan;

import dev.jbuild.builder.instruction.Arg;
import dev.jbuild.builder.instruction.Cmd;
import dev.jbuild.builder.instruction.Entrypoint;
import dev.jbuild.builder.instruction.From;
import dev.jbuild.builder.instruction.Healthcheck;
import dev.jbuild.builder.instruction.Instruction;
import dev.jbuild.builder.instruction.InstructionParser;
import dev.jbuild.builder.instruction.Maintainer;
import dev.jbuild.builder.instruction.Onbuild;
import dev.jbuild.builder.instruction.ShellForm;
import dev.jbuild.builder.instruction.SyntaxLints;
import dev.jbuild.builder.instruction.Workdir;
import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.parse.Parser;
import dev.jbuild.builder.parse.SourceRange;
import dev.jbuild.builder.parse.Warning;
import dev.jbuild.builder.shell.ShellSyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code build --check}: parses, types, plans and expands a whole Buildfile without running
 * anything, and reports every error it can find (it goes on after an invalid instruction) and the
 * lint warnings: deprecated MAINTAINER, empty continuation lines, shell-form CMD/ENTRYPOINT,
 * undefined ARGs in FROM, stage name and keyword casing, repeated CMD/ENTRYPOINT/HEALTHCHECK,
 * unused build args.
 *
 * <p>Stages are expanded with an empty base image environment (a stage built on another stage gets
 * that stage's ENV), since no image is pulled.
 */
public final class BuildfileChecker {
  private BuildfileChecker() {}

  public static CheckReport check(String fileName, String text, BuildOptions options) {
    List<Diagnostic> errors = new ArrayList<>();
    List<Diagnostic> warnings = new ArrayList<>();
    ParseResult parsed;
    try {
      parsed = Parser.parse(fileName, text);
    } catch (BuildfileException e) {
      return new CheckReport(List.of(Diagnostic.of(e)), List.of());
    }
    List<Instruction> typed = InstructionParser.parseAll(parsed, e -> errors.add(Diagnostic.of(e)));
    lint(parsed, typed, warnings);
    if (errors.isEmpty()) {
      List<Warning> planWarnings = new ArrayList<>();
      try {
        BuildPlan plan;
        try {
          plan = Planner.plan(parsed, typed, options, planWarnings);
        } finally {
          planWarnings.forEach(
              w -> warnings.add(Diagnostic.of(w, parsed.line(w.range().start().line()))));
        }
        expandAll(plan, errors);
        for (String unused : plan.unusedBuildArgs()) {
          warnings.add(
              new Diagnostic(
                  "UnusedBuildArg",
                  "build arg " + unused + " is not declared by any ARG",
                  Optional.empty(),
                  Optional.empty()));
        }
      } catch (BuildfileException e) {
        errors.add(Diagnostic.of(e));
      }
    }
    applyCheckDirective(parsed.directives().check().orElse(""), errors, warnings);
    Comparator<Diagnostic> byPlace =
        Comparator.comparingInt(
            (Diagnostic d) -> d.range().map(r -> r.start().line()).orElse(Integer.MAX_VALUE));
    errors.sort(byPlace);
    warnings.sort(byPlace);
    return new CheckReport(errors, warnings);
  }

  /**
   * Honours {@code # check=skip=Rule1,Rule2} (or {@code skip=all}) and {@code # check=error=true}
   * (warnings fail the check), separated by {@code ;} as in BuildKit.
   */
  private static void applyCheckDirective(
      String directive, List<Diagnostic> errors, List<Diagnostic> warnings) {
    Set<String> skip = new HashSet<>();
    boolean asErrors = false;
    for (String part : directive.split(";")) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = p.substring(eq + 1).strip();
      if (key.equals("skip")) {
        for (String r : value.split(",")) {
          skip.add(r.strip().toLowerCase(Locale.ROOT));
        }
      } else if (key.equals("error")) {
        asErrors = value.equalsIgnoreCase("true");
      }
    }
    boolean all = skip.contains("all");
    warnings.removeIf(w -> all || skip.contains(w.rule().toLowerCase(Locale.ROOT)));
    if (asErrors) {
      errors.addAll(warnings);
      warnings.clear();
    }
  }

  /** Expands every stage in order, each on the ENV its base stage ends with. */
  private static void expandAll(BuildPlan plan, List<Diagnostic> errors) {
    Map<Integer, List<String>> finalEnv = new HashMap<>();
    for (Stage s : plan.stages()) {
      List<String> base =
          s.baseStage().isPresent()
              ? finalEnv.getOrDefault(s.baseStage().getAsInt(), List.of())
              : List.of();
      StageEnv env = plan.stageEnv(s.index(), base);
      for (Instruction in : s.instructions()) {
        try {
          Instruction ex = env.expand(in);
          if (ex instanceof Onbuild o) {
            // a trigger is expanded when it runs, but it must expand then: check its syntax now
            plan.stageEnv(s.index(), List.of()).expand(o.trigger());
          }
        } catch (BuildfileException e) {
          errors.add(Diagnostic.of(e));
        } catch (ShellSyntaxException e) {
          errors.add(
              Diagnostic.of(
                  new BuildfileException(
                      e.getMessage(),
                      in.range(),
                      plan.source().line(in.range().start().line()),
                      e)));
        }
      }
      finalEnv.put(
          s.index(),
          env.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
  }

  private static void lint(ParseResult parsed, List<Instruction> typed, List<Diagnostic> warnings) {
    for (Warning w : parsed.warnings()) {
      warnings.add(Diagnostic.of(w, parsed.line(w.range().start().line())));
    }
    for (Warning w : SyntaxLints.check(parsed)) {
      warnings.add(Diagnostic.of(w, parsed.line(w.range().start().line())));
    }
    Map<String, Instruction> lastInStage = new HashMap<>();
    boolean absoluteWorkdir = false;
    for (Instruction in : typed) {
      switch (in) {
        case From f -> {
          absoluteWorkdir = false;
          if (f.platform().isPresent() && REDUNDANT_PLATFORM.contains(f.platform().get())) {
            warn(
                warnings,
                parsed,
                "RedundantTargetPlatform",
                "Setting platform to predefined "
                    + f.platform().get()
                    + " in FROM is redundant as this is the default behavior",
                f.range());
          }
          if (f.stageName().isPresent()
              && (f.stageName().get().equals("scratch") || f.stageName().get().equals("context"))) {
            warn(
                warnings,
                parsed,
                "ReservedStageName",
                "'" + f.stageName().get() + "' is reserved and should not be used as a stage name",
                f.range());
          }
        }
        case Workdir w -> {
          boolean abs = w.path().startsWith("/") || w.path().startsWith("$");
          if (!abs && !absoluteWorkdir) {
            warn(
                warnings,
                parsed,
                "WorkdirRelativePath",
                "Relative workdir \""
                    + w.path()
                    + "\" can have unexpected results if the base image changes",
                w.range());
          }
          absoluteWorkdir |= abs;
        }
        case Arg a ->
            a.args().stream()
                .filter(d -> secretLike(d.name()))
                .forEach(
                    d ->
                        warn(
                            warnings,
                            parsed,
                            "SecretsUsedInArgOrEnv",
                            "Do not use ARG or ENV instructions for sensitive data (ARG \""
                                + d.name()
                                + "\")",
                            a.range()));
        case dev.jbuild.builder.instruction.Env e ->
            e.vars().stream()
                .filter(kv -> secretLike(kv.key()))
                .forEach(
                    kv ->
                        warn(
                            warnings,
                            parsed,
                            "SecretsUsedInArgOrEnv",
                            "Do not use ARG or ENV instructions for sensitive data (ENV \""
                                + kv.key()
                                + "\")",
                            e.range()));
        case Maintainer m ->
            warn(
                warnings,
                parsed,
                "MaintainerDeprecated",
                "Maintainer instruction is deprecated in favor of using label",
                m.range());
        case Cmd c when c.command() instanceof ShellForm ->
            warn(
                warnings,
                parsed,
                "JSONArgsRecommended",
                "JSON arguments recommended for CMD to prevent unintended behavior related to OS"
                    + " signals",
                c.range());
        case Entrypoint e when e.command() instanceof ShellForm ->
            warn(
                warnings,
                parsed,
                "JSONArgsRecommended",
                "JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related"
                    + " to OS signals",
                e.range());
        default -> {}
      }
      if (in instanceof From) {
        lastInStage.clear();
      }
      if (in instanceof Cmd || in instanceof Entrypoint || in instanceof Healthcheck) {
        Instruction prev = lastInStage.put(in.keyword(), in);
        if (prev != null) {
          warn(
              warnings,
              parsed,
              "MultipleInstructionsDisallowed",
              "Multiple "
                  + in.keyword()
                  + " instructions should not be used in the same stage because only the last one"
                  + " will be used",
              prev.range());
        }
      }
    }
  }

  private static final Set<String> REDUNDANT_PLATFORM =
      Set.of("$TARGETPLATFORM", "${TARGETPLATFORM}");
  private static final Pattern SECRET =
      Pattern.compile(
          "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)");
  private static final Pattern NOT_SECRET = Pattern.compile("(?i)(?:_|^)(?:public)(?:_|$)");

  /** BuildKit's SecretsUsedInArgOrEnv name test: a secret-like word, unless it is also "public". */
  static boolean secretLike(String name) {
    return SECRET.matcher(name).find() && !NOT_SECRET.matcher(name).find();
  }

  private static void warn(
      List<Diagnostic> out, ParseResult parsed, String rule, String message, SourceRange at) {
    out.add(
        new Diagnostic(
            rule, message, Optional.of(at), Optional.of(parsed.line(at.start().line()))));
  }
}
