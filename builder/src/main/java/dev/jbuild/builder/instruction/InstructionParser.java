package dev.jbuild.builder.instruction;

import dev.jbuild.builder.instruction.Flags.Kind;
import dev.jbuild.builder.parse.BuildfileException;
import dev.jbuild.builder.parse.Heredoc;
import dev.jbuild.builder.parse.HeredocWords;
import dev.jbuild.builder.parse.Node;
import dev.jbuild.builder.parse.ParseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns parser nodes into typed {@link Instruction}s, checking argument counts, flags and values
 * the way BuildKit's {@code instructions.ParseInstruction} does (same messages, where BuildKit has
 * them). Every error leaves here located: an error raised without a range gets the node's range.
 */
public final class InstructionParser {
  /** Every instruction keyword, for "did you mean" hints. */
  public static final List<String> KEYWORDS =
      List.of(
          "ADD",
          "ARG",
          "CMD",
          "COPY",
          "ENTRYPOINT",
          "ENV",
          "EXPOSE",
          "FROM",
          "HEALTHCHECK",
          "LABEL",
          "MAINTAINER",
          "ONBUILD",
          "RUN",
          "SHELL",
          "STOPSIGNAL",
          "USER",
          "VOLUME",
          "WORKDIR");

  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
  private static final Pattern ONBUILD_PREFIX = Pattern.compile("(?i)^\\s*ONBUILD\\s*");
  private static final Duration MIN_DURATION = Duration.ofMillis(1);

  private InstructionParser() {}

  /**
   * The typed instruction for {@code node}.
   *
   * @throws BuildfileException (always with a range) when the node is not a valid instruction
   */
  public static Instruction parse(Node node) {
    try {
      return dispatch(node);
    } catch (BuildfileException e) {
      throw node.locate(e);
    }
  }

  /**
   * Every instruction of a parsed file that types cleanly, in order; each failure goes to {@code
   * errors} (located) and its instruction is left out, so a check can report them all.
   */
  public static List<Instruction> parseAll(
      ParseResult parsed, java.util.function.Consumer<BuildfileException> errors) {
    List<Instruction> out = new ArrayList<>();
    for (Node n : parsed.children()) {
      try {
        out.add(parse(n));
      } catch (BuildfileException e) {
        errors.accept(e);
      }
    }
    return out;
  }

  /** Every instruction of a parsed file; the first invalid one throws. */
  public static List<Instruction> parseAll(ParseResult parsed) {
    return parsed.children().stream().map(InstructionParser::parse).toList();
  }

  private static Instruction dispatch(Node node) {
    return switch (node.command()) {
      case "from" -> from(node);
      case "run" -> run(node);
      case "cmd" -> new Cmd(commandForm(node, "CMD"), node.range());
      case "entrypoint" -> new Entrypoint(commandForm(node, "ENTRYPOINT"), node.range());
      case "label" -> new Label(kvps(node, "LABEL"), node.range());
      case "env" -> new Env(kvps(node, "ENV"), node.range());
      case "maintainer" -> new Maintainer(exactlyOne(node, "MAINTAINER"), node.range());
      case "expose" -> expose(node);
      case "add" -> add(node);
      case "copy" -> copy(node);
      case "volume" -> volume(node);
      case "user" -> new User(exactlyOne(node, "USER"), node.range());
      case "workdir" -> new Workdir(exactlyOne(node, "WORKDIR"), node.range());
      case "stopsignal" -> new StopSignal(exactlyOne(node, "STOPSIGNAL"), node.range());
      case "arg" -> arg(node);
      case "onbuild" -> onbuild(node);
      case "healthcheck" -> healthcheck(node);
      case "shell" -> shell(node);
      default ->
          throw node.error(
              Suggest.wrap(
                  "unknown instruction: " + node.keyword(), node.keyword(), KEYWORDS, false),
              node.keyword());
    };
  }

  private static From from(Node node) {
    List<String> args = node.args();
    Optional<String> name = Optional.empty();
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      String n = args.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(n).matches()) {
        throw node.error(
            "invalid name for build stage: \""
                + args.get(2)
                + "\", name can't start with a number or contain symbols",
            args.get(2));
      }
      name = Optional.of(n);
    } else if (args.size() != 1) {
      throw new BuildfileException("FROM requires either one or three arguments");
    }
    Flags f = new Flags(node).declare("platform", Kind.STRING).parse();
    return new From(
        args.get(0),
        f.string("platform"),
        name,
        comment(node.comments(), name.orElse("")),
        node.range());
  }

  private static Run run(Node node) {
    Flags f =
        new Flags(node)
            .declare("mount", Kind.STRINGS)
            .declare("network", Kind.STRING)
            .declare("security", Kind.STRING)
            .parse();
    List<RunMount> mounts = new ArrayList<>();
    for (String spec : f.strings("mount")) {
      try {
        mounts.add(RunMount.parse(spec));
      } catch (BuildfileException e) {
        throw node.error("invalid --mount=" + spec + ": " + e.getMessage(), "--mount");
      }
    }
    NetworkMode net =
        switch (f.string("network").orElse("default")) {
          case "default" -> NetworkMode.DEFAULT;
          case "none" -> NetworkMode.NONE;
          case "host" -> NetworkMode.HOST;
          default ->
              throw node.error(
                  Suggest.wrap(
                          "unsupported network mode \"" + f.string("network").get() + "\"",
                          f.string("network").get(),
                          List.of("default", "none", "host"),
                          true)
                      + " (want default, none or host)",
                  "--network");
        };
    SecurityMode sec =
        switch (f.string("security").orElse("sandbox")) {
          case "sandbox" -> SecurityMode.SANDBOX;
          case "insecure" -> SecurityMode.INSECURE;
          default ->
              throw node.error(
                  "unsupported security mode \""
                      + f.string("security").get()
                      + "\" (want sandbox or insecure)",
                  "--security");
        };
    if (node.args().isEmpty()) {
      throw new BuildfileException("RUN requires at least one argument");
    }
    List<InlineFile> files = node.heredocs().stream().map(InlineFile::of).toList();
    return new Run(commandForm(node, "RUN"), mounts, net, sec, files, node.range());
  }

  /**
   * JSON args as the argv; shell-form args joined with single spaces (BuildKit's handleJSONArgs).
   */
  private static CommandForm commandForm(Node node, String name) {
    if (!name.equals("RUN")) {
      new Flags(node).parse();
    }
    if (node.json() || node.args().isEmpty()) {
      return new ExecForm(node.args());
    }
    return new ShellForm(String.join(" ", node.args()));
  }

  private static List<KeyValue> kvps(Node node, String name) {
    new Flags(node).parse();
    return kvps(node.args(), name);
  }

  /** ENV/LABEL argument triples {@code key, value, separator} to pairs. */
  static List<KeyValue> kvps(List<String> args, String name) {
    if (args.isEmpty()) {
      throw new BuildfileException(name + " requires at least one argument");
    }
    if (args.size() % 3 != 0) {
      throw new BuildfileException("Bad input to " + name + ", too many arguments");
    }
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 3) {
      if (args.get(i).isEmpty()) {
        throw new BuildfileException(name + " names can not be blank");
      }
      out.add(new KeyValue(args.get(i), args.get(i + 1)));
    }
    return out;
  }

  private static String exactlyOne(Node node, String name) {
    if (node.args().size() != 1) {
      throw new BuildfileException(name + " requires exactly one argument");
    }
    new Flags(node).parse();
    return node.args().get(0);
  }

  private static Expose expose(Node node) {
    if (node.args().isEmpty()) {
      throw new BuildfileException("EXPOSE requires at least one argument");
    }
    new Flags(node).parse();
    Expose e = new Expose(node.args(), node.range());
    for (String p : node.args()) {
      // ports with variables are checked once expanded
      if (!p.contains("$")) {
        try {
          PortSpec.parse(p);
        } catch (BuildfileException ex) {
          throw node.error(ex.getMessage(), p);
        }
      }
    }
    return e;
  }

  private static Volume volume(Node node) {
    if (node.args().isEmpty()) {
      throw new BuildfileException("VOLUME requires at least one argument");
    }
    new Flags(node).parse();
    List<String> paths = new ArrayList<>();
    for (String v : node.args()) {
      String t = v.strip();
      if (t.isEmpty()) {
        throw new BuildfileException("VOLUME specified can not be an empty string");
      }
      paths.add(t);
    }
    return new Volume(paths, node.range());
  }

  /** Sources and destination of ADD/COPY, heredoc sources turned into inline files. */
  private record SourcesAndDest(List<String> paths, List<InlineFile> inline, String dest) {}

  private static SourcesAndDest sourcesAndDest(Node node, String name) {
    List<String> args = node.args();
    String dest = args.getLast();
    if (heredoc(dest) != null) {
      throw node.error(name + " cannot accept a heredoc as a destination", dest);
    }
    Map<String, Heredoc> byName = new HashMap<>();
    node.heredocs().forEach(h -> byName.put(h.name(), h));
    List<String> paths = new ArrayList<>();
    List<InlineFile> inline = new ArrayList<>();
    for (String src : args.subList(0, args.size() - 1)) {
      Heredoc h = heredoc(src);
      if (h == null) {
        paths.add(src);
      } else {
        Heredoc body = byName.get(h.name());
        inline.add(
            new InlineFile(h.name(), body == null ? "" : body.content(), h.expand(), h.chomp()));
      }
    }
    return new SourcesAndDest(paths, inline, dest);
  }

  private static Heredoc heredoc(String word) {
    try {
      return HeredocWords.parse(word);
    } catch (BuildfileException e) {
      // as BuildKit's MustParseHeredoc: a malformed marker is an ordinary path
      return null;
    }
  }

  private static Copy copy(Node node) {
    if (node.args().size() < 2) {
      throw new BuildfileException(
          "COPY requires at least two arguments, but only one was provided. Destination could not"
              + " be determined");
    }
    Flags f =
        new Flags(node)
            .declare("from", Kind.STRING)
            .declare("chown", Kind.STRING)
            .declare("chmod", Kind.STRING)
            .declare("link", Kind.BOOL)
            .declare("parents", Kind.BOOL)
            .declare("exclude", Kind.STRINGS)
            .parse();
    SourcesAndDest sd = sourcesAndDest(node, "COPY");
    if (sd.paths().isEmpty() && sd.inline().isEmpty()) {
      throw new BuildfileException("COPY requires at least one source");
    }
    checkChmod(node, f.string("chmod"));
    return new Copy(
        sd.paths(),
        sd.inline(),
        sd.dest(),
        f.string("from"),
        f.string("chown"),
        f.string("chmod"),
        f.bool("link"),
        f.bool("parents"),
        f.strings("exclude"),
        node.range());
  }

  private static Add add(Node node) {
    if (node.args().size() < 2) {
      throw new BuildfileException(
          "ADD requires at least two arguments, but only one was provided. Destination could not be"
              + " determined");
    }
    Flags f =
        new Flags(node)
            .declare("chown", Kind.STRING)
            .declare("chmod", Kind.STRING)
            .declare("checksum", Kind.STRING)
            .declare("keep-git-dir", Kind.BOOL)
            .declare("link", Kind.BOOL)
            .declare("exclude", Kind.STRINGS)
            .declare("unpack", Kind.BOOL)
            .parse();
    SourcesAndDest sd = sourcesAndDest(node, "ADD");
    checkChmod(node, f.string("chmod"));
    Optional<String> checksum = f.string("checksum");
    if (checksum.isPresent()
        && !checksum.get().contains("$")
        && !checksum.get().matches("sha(256:[0-9a-f]{64}|384:[0-9a-f]{96}|512:[0-9a-f]{128})")) {
      throw node.error(
          "invalid checksum \""
              + checksum.get()
              + "\": want sha256:<64 hex digits> (or sha384, sha512)",
          "--checksum");
    }
    return new Add(
        sd.paths(),
        sd.inline(),
        sd.dest(),
        f.string("chown"),
        f.string("chmod"),
        checksum,
        f.bool("keep-git-dir"),
        f.bool("link"),
        f.strings("exclude"),
        f.optionalBool("unpack"),
        node.range());
  }

  private static void checkChmod(Node node, Optional<String> chmod) {
    // octal modes are checked now; symbolic or variable ones when they are applied
    if (chmod.isPresent() && chmod.get().matches("[0-9]+") && !chmod.get().matches("[0-7]{1,4}")) {
      throw node.error(
          "invalid --chmod=" + chmod.get() + ": want an octal mode such as 755", "--chmod");
    }
  }

  private static Arg arg(Node node) {
    if (node.args().isEmpty()) {
      throw new BuildfileException("ARG requires at least one argument");
    }
    new Flags(node).parse();
    List<ArgDecl> decls = new ArrayList<>();
    for (String a : node.args()) {
      int eq = a.indexOf('=');
      String key = eq < 0 ? a : a.substring(0, eq);
      if (key.isEmpty()) {
        throw node.error("ARG names can not be blank", a);
      }
      decls.add(
          new ArgDecl(
              key,
              eq < 0 ? Optional.empty() : Optional.of(a.substring(eq + 1)),
              comment(node.comments(), key)));
    }
    return new Arg(decls, node.range());
  }

  private static Onbuild onbuild(Node node) {
    if (node.nested().isEmpty()) {
      throw new BuildfileException("ONBUILD requires at least one argument");
    }
    new Flags(node).parse();
    Node trigger = node.nested().get();
    String kw = trigger.keyword().strip().toUpperCase(Locale.ROOT);
    switch (kw) {
      case "ONBUILD" ->
          throw new BuildfileException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      case "MAINTAINER", "FROM" ->
          throw node.error(kw + " isn't allowed as an ONBUILD trigger", trigger.keyword());
      default -> {}
    }
    StringBuilder expression =
        new StringBuilder(ONBUILD_PREFIX.matcher(node.original()).replaceFirst(""));
    for (Heredoc h : node.heredocs()) {
      expression.append('\n').append(h.content()).append(h.name());
    }
    Node typed =
        new Node(
            trigger.keyword(),
            trigger.flags(),
            trigger.args(),
            trigger.nested(),
            trigger.json(),
            node.heredocs(),
            trigger.original(),
            node.range(),
            node.sourceLine(),
            List.of());
    return new Onbuild(parse(typed), expression.toString(), node.range());
  }

  private static Healthcheck healthcheck(Node node) {
    if (node.args().isEmpty()) {
      throw new BuildfileException("HEALTHCHECK requires at least one argument");
    }
    String type = node.args().get(0).toUpperCase(Locale.ROOT);
    List<String> rest = node.args().subList(1, node.args().size());
    if (type.equals("NONE")) {
      if (!rest.isEmpty()) {
        throw new BuildfileException("HEALTHCHECK NONE takes no arguments");
      }
      new Flags(node).parse();
      return new Healthcheck(
          List.of("NONE"),
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          0,
          node.range());
    }
    Flags f =
        new Flags(node)
            .declare("interval", Kind.STRING)
            .declare("timeout", Kind.STRING)
            .declare("start-period", Kind.STRING)
            .declare("start-interval", Kind.STRING)
            .declare("retries", Kind.STRING)
            .parse();
    if (!type.equals("CMD")) {
      throw node.error(
          "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)", node.args().get(0));
    }
    List<String> cmd =
        node.json() ? rest : rest.isEmpty() ? List.of() : List.of(String.join(" ", rest));
    if (cmd.isEmpty()) {
      throw new BuildfileException("Missing command after HEALTHCHECK CMD");
    }
    List<String> test = new ArrayList<>();
    test.add(node.json() ? "CMD" : "CMD-SHELL");
    test.addAll(cmd);
    int retries = 0;
    Optional<String> r = f.string("retries");
    if (r.isPresent()) {
      long v;
      try {
        v = Long.parseLong(r.get());
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw node.error(
            "invalid --retries value \"" + r.get() + "\": not a 32-bit integer", "--retries");
      }
      if (v < 0) {
        throw node.error("--retries cannot be negative (" + v + ")", "--retries");
      }
      retries = (int) v;
    }
    return new Healthcheck(
        test,
        duration(node, f, "interval"),
        duration(node, f, "timeout"),
        duration(node, f, "start-period"),
        duration(node, f, "start-interval"),
        retries,
        node.range());
  }

  private static Duration duration(Node node, Flags f, String name) {
    Optional<String> s = f.string(name);
    if (s.isEmpty() || s.get().isEmpty()) {
      return Duration.ZERO;
    }
    Duration d;
    try {
      d = GoDuration.parse(s.get());
    } catch (BuildfileException e) {
      throw node.error("invalid --" + name + ": " + e.getMessage(), "--" + name);
    }
    if (d.isZero()) {
      return d;
    }
    if (d.compareTo(MIN_DURATION) < 0) {
      throw node.error("Interval \"" + name + "\" cannot be less than 1ms", "--" + name);
    }
    return d;
  }

  private static Shell shell(Node node) {
    new Flags(node).parse();
    if (node.args().isEmpty() || (node.json() && node.args().isEmpty())) {
      throw new BuildfileException("SHELL requires at least one argument");
    }
    if (!node.json()) {
      throw new BuildfileException("SHELL requires the arguments to be in JSON form");
    }
    return new Shell(node.args(), node.range());
  }

  /**
   * The doc of {@code name}: the comment line above that starts with {@code name + " "}, without
   * it.
   */
  static String comment(List<String> comments, String name) {
    if (name.isEmpty()) {
      return "";
    }
    for (String c : comments) {
      if (c.startsWith(name + " ")) {
        return c.substring(name.length() + 1);
      }
    }
    return "";
  }
}
