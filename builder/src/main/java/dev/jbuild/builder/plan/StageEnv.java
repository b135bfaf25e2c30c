package dev.jbuild.builder.plan;

import dev.jbuild.builder.instruction.Add;
import dev.jbuild.builder.instruction.Arg;
import dev.jbuild.builder.instruction.ArgDecl;
import dev.jbuild.builder.instruction.Cmd;
import dev.jbuild.builder.instruction.Copy;
import dev.jbuild.builder.instruction.Entrypoint;
import dev.jbuild.builder.instruction.Env;
import dev.jbuild.builder.instruction.Expose;
import dev.jbuild.builder.instruction.From;
import dev.jbuild.builder.instruction.Healthcheck;
import dev.jbuild.builder.instruction.InlineFile;
import dev.jbuild.builder.instruction.Instruction;
import dev.jbuild.builder.instruction.KeyValue;
import dev.jbuild.builder.instruction.Label;
import dev.jbuild.builder.instruction.Maintainer;
import dev.jbuild.builder.instruction.Onbuild;
import dev.jbuild.builder.instruction.PortSpec;
import dev.jbuild.builder.instruction.Run;
import dev.jbuild.builder.instruction.RunMount;
import dev.jbuild.builder.instruction.Shell;
import dev.jbuild.builder.instruction.StopSignal;
import dev.jbuild.builder.instruction.User;
import dev.jbuild.builder.instruction.Volume;
import dev.jbuild.builder.instruction.Workdir;
import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.SourceRange;
import dev.jbuild.builder.shell.ShellLex;
import dev.jbuild.builder.shell.ShellSyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variable scope of one stage while it is built, and the expander of its instructions.
 *
 * <p>The build engine creates one per stage with the base image's {@code Env} ({@link
 * BuildPlan#stageEnv}) and passes the stage's instructions to {@link #expand} in order: ARG
 * declares names, ENV sets variables (which always win over ARGs of the same name), and ADD COPY
 * ENV EXPOSE LABEL STOPSIGNAL USER VOLUME WORKDIR (and RUN's {@code --mount} options) come back
 * with their variables expanded. RUN, CMD and ENTRYPOINT commands are left to the shell; their
 * environment is {@link #runEnvironment()}.
 *
 * <p>Not thread-safe: one stage, one builder thread.
 */
public final class StageEnv {
  /** The proxy variables usable without ARG and kept out of the image history, as docker does. */
  public static final List<String> PROXY_ARGS =
      List.of(
          "HTTP_PROXY",
          "http_proxy",
          "HTTPS_PROXY",
          "https_proxy",
          "FTP_PROXY",
          "ftp_proxy",
          "NO_PROXY",
          "no_proxy",
          "ALL_PROXY",
          "all_proxy");

  private final ShellLex lex;
  private final char escape;
  private final Map<String, String> buildArgs;
  private final Map<String, String> globalScope;
  private final List<String> lines;
  private final LinkedHashMap<String, String> env = new LinkedHashMap<>();
  private final LinkedHashMap<String, Optional<String>> args = new LinkedHashMap<>();

  StageEnv(
      char escape,
      Map<String, String> buildArgs,
      Map<String, String> globalScope,
      List<String> baseEnv,
      List<String> lines) {
    this.lex = new ShellLex(escape);
    this.escape = escape;
    this.buildArgs = buildArgs;
    this.globalScope = globalScope;
    this.lines = lines;
    for (String e : baseEnv) {
      int eq = e.indexOf('=');
      env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
  }

  /** The stage's environment variables so far (base image, then ENV instructions), in order. */
  public Map<String, String> env() {
    return Collections.unmodifiableMap(env);
  }

  /** The ARGs declared in the stage so far that have a value. */
  public Map<String, String> args() {
    Map<String, String> out = new LinkedHashMap<>();
    args.forEach((k, v) -> v.ifPresent(s -> out.put(k, s)));
    return out;
  }

  /**
   * The environment a RUN command gets, as {@code NAME=value}: declared ARGs, overridden by ENV,
   * plus the proxy build args (see {@link #PROXY_ARGS}) even when not declared.
   */
  public List<String> runEnvironment() {
    Map<String, String> m = new LinkedHashMap<>(args());
    m.putAll(env);
    for (String p : PROXY_ARGS) {
      if (buildArgs.containsKey(p) && !m.containsKey(p)) {
        m.put(p, buildArgs.get(p));
      }
    }
    return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  /**
   * The build args to record in the image history of a RUN ({@code |2 A=1 B=2 /bin/sh -c ...}, as
   * docker writes it): the declared ARGs with a value, without the proxy variables.
   */
  public List<String> historyArgs() {
    return args().entrySet().stream()
        .filter(e -> !PROXY_ARGS.contains(e.getKey()))
        .map(e -> e.getKey() + "=" + e.getValue())
        .toList();
  }

  /** The variables that expansion sees now: ENV first, then ARGs with a value. */
  public dev.jbuild.builder.shell.Env expansionEnv() {
    return name -> {
      String v = env.get(name);
      if (v != null) {
        return Optional.of(v);
      }
      return args.getOrDefault(name, Optional.empty());
    };
  }

  /** Expands one word with the current scope (quotes removed, whitespace kept). */
  public String word(String w) {
    if (plain(w)) {
      // nothing to expand, unquote or unescape: the lexer would return the word unchanged
      return w;
    }
    checkNesting(w);
    return lex.processWord(w, expansionEnv());
  }

  /** Deepest {@code ${...}} nesting accepted; the lexer recurses once per level. */
  static final int MAX_NESTING = 100;

  /** Refuses words whose {@code ${} nesting would exhaust the lexer's stack. */
  static void checkNesting(String w) {
    int depth = 0;
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      if (c == '$' && i + 1 < w.length() && w.charAt(i + 1) == '{') {
        if (++depth > MAX_NESTING) {
          throw new BuildfileException(
              "variable substitution nested more than " + MAX_NESTING + " levels deep");
        }
        i++;
      } else if (c == '}' && depth > 0) {
        depth--;
      }
    }
  }

  private boolean plain(String w) {
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      if (c == '$' || c == '\'' || c == '"' || c == '\\' || c == escape) {
        return false;
      }
    }
    return true;
  }

  /**
   * The instruction with its variables expanded, after which the scope includes its effect (ARG
   * declarations, ENV values). Instructions are expanded with the scope as it was before them, so
   * {@code ENV a=1 b=$a} gives b the previous a, as BuildKit does.
   *
   * @throws BuildfileException (with the instruction's range) for a bad substitution or an invalid
   *     value after expansion
   */
  public Instruction expand(Instruction in) {
    try {
      return doExpand(in);
    } catch (ShellSyntaxException e) {
      throw new BuildfileException(e.getMessage(), in.range(), line(in.range()), e);
    } catch (BuildfileException e) {
      throw e.located(in.range(), line(in.range()));
    }
  }

  private String line(SourceRange r) {
    int l = r.start().line();
    return l >= 1 && l <= lines.size() ? lines.get(l - 1) : null;
  }

  private Instruction doExpand(Instruction in) {
    return switch (in) {
      case From f -> f;
      case Run r ->
          new Run(
              r.command(),
              r.mounts().stream().map(m -> RunMount.parse(m.spec(), this::word)).toList(),
              r.network(),
              r.security(),
              r.files(),
              r.range());
      case Cmd c -> c;
      case Entrypoint e -> e;
      case Healthcheck h -> h;
      case Shell s -> s;
      case Maintainer m -> m;
      case Onbuild o -> o;
      case Label l -> new Label(pairs(l.labels()), l.range());
      case Env e -> {
        List<KeyValue> kv = pairs(e.vars());
        kv.forEach(p -> env.put(p.key(), p.value()));
        yield new Env(kv, e.range());
      }
      case Expose e -> {
        List<String> ports = new ArrayList<>();
        for (String p : e.ports()) {
          checkNesting(p);
          for (String w : lex.processWords(p, expansionEnv())) {
            PortSpec.parse(w);
            ports.add(w);
          }
        }
        yield new Expose(ports, e.range());
      }
      case Volume v -> {
        List<String> paths = new ArrayList<>();
        for (String p : v.paths()) {
          String w = word(p);
          if (w.isBlank()) {
            throw new BuildfileException(
                "VOLUME specified can not be an empty string (after expanding " + p + ")");
          }
          paths.add(w);
        }
        yield new Volume(paths, v.range());
      }
      case User u -> {
        String w = word(u.user());
        if (w.isEmpty()) {
          throw new BuildfileException("USER is empty after expanding " + u.user());
        }
        yield new User(w, u.range());
      }
      case Workdir w -> {
        String p = word(w.path());
        if (p.isEmpty()) {
          throw new BuildfileException("WORKDIR is empty after expanding " + w.path());
        }
        yield new Workdir(p, w.range());
      }
      case StopSignal s -> {
        String sig = word(s.signal());
        Signals.check(sig);
        yield new StopSignal(sig, s.range());
      }
      case Arg a -> {
        List<ArgDecl> out = new ArrayList<>();
        for (ArgDecl d : a.args()) {
          Optional<String> def = d.defaultValue().map(this::word);
          ArgDecl ex = new ArgDecl(d.name(), def, d.doc());
          out.add(ex);
          declare(ex);
        }
        yield new Arg(out, a.range());
      }
      case Copy c ->
          new Copy(
              words(c.sources()),
              inline(c.inlineSources()),
              word(c.destination()),
              c.from().map(this::word),
              c.chown().map(this::word),
              c.chmod().map(this::word),
              c.link(),
              c.parents(),
              words(c.excludes()),
              c.range());
      case Add a ->
          new Add(
              words(a.sources()),
              inline(a.inlineSources()),
              word(a.destination()),
              a.chown().map(this::word),
              a.chmod().map(this::word),
              a.checksum().map(this::word),
              a.keepGitDir(),
              a.link(),
              words(a.excludes()),
              a.unpack(),
              a.range());
    };
  }

  private void declare(ArgDecl d) {
    Optional<String> value;
    if (buildArgs.containsKey(d.name())) {
      value = Optional.of(buildArgs.get(d.name()));
    } else if (d.defaultValue().isPresent()) {
      value = d.defaultValue();
    } else {
      // ARG NAME without default inside a stage takes the global ARG's value (or platform ARG's)
      value = Optional.ofNullable(globalScope.get(d.name()));
    }
    args.put(d.name(), value);
  }

  private List<KeyValue> pairs(List<KeyValue> in) {
    List<KeyValue> out = new ArrayList<>();
    for (KeyValue kv : in) {
      String k = word(kv.key());
      if (k.isEmpty()) {
        throw new BuildfileException("name is empty after expanding " + kv.key());
      }
      out.add(new KeyValue(k, word(kv.value())));
    }
    return out;
  }

  private List<String> words(List<String> in) {
    return in.stream().map(this::word).toList();
  }

  /**
   * Heredoc files that may be expanded get their variables replaced while quotes stay text
   * (BuildKit's SkipProcessQuotes): every quote not already escaped gets the escape character in
   * front before the body goes through the lexer, so the lexer keeps it and handles escapes as it
   * would outside quotes.
   */
  private String quotesAsText(String data) {
    StringBuilder sb = new StringBuilder(data.length() + 8);
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == escape && i + 1 < data.length()) {
        sb.append(c).append(data.charAt(++i));
      } else if (c == '"' || c == '\'') {
        sb.append(escape).append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private List<InlineFile> inline(List<InlineFile> in) {
    List<InlineFile> out = new ArrayList<>();
    for (InlineFile f : in) {
      if (!f.expand()) {
        out.add(f);
        continue;
      }
      out.add(new InlineFile(f.name(), word(quotesAsText(f.data())), true, f.chomp()));
    }
    return out;
  }
}
