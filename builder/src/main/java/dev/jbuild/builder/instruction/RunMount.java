package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.BuildfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * One {@code RUN --mount=type=...,key=value,...} with every option typed. Defaults follow BuildKit:
 * type bind; bind, secret and ssh mounts are read-only unless {@code rw}; cache and tmpfs are
 * writable; cache sharing is {@code shared}. {@code spec} is the flag value as written.
 */
public record RunMount(
    Type type,
    Optional<String> from,
    Optional<String> source,
    Optional<String> target,
    boolean readOnly,
    Optional<String> id,
    Sharing sharing,
    OptionalLong mode,
    OptionalLong uid,
    OptionalLong gid,
    OptionalLong size,
    boolean required,
    Optional<String> env,
    String spec) {

  /** The mount types. */
  public enum Type {
    BIND,
    CACHE,
    TMPFS,
    SECRET,
    SSH;

    String lower() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How concurrent builds share a cache mount. */
  public enum Sharing {
    SHARED,
    PRIVATE,
    LOCKED
  }

  private static final List<String> KEYS =
      List.of(
          "type",
          "from",
          "source",
          "src",
          "target",
          "dst",
          "destination",
          "readonly",
          "ro",
          "readwrite",
          "rw",
          "id",
          "sharing",
          "required",
          "mode",
          "uid",
          "gid",
          "size",
          "env");

  public RunMount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sharing, "sharing");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(gid, "gid");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(spec, "spec");
  }

  /** Parses a mount spec with values taken as written. */
  public static RunMount parse(String spec) {
    return parse(spec, null);
  }

  /**
   * Parses a mount spec, passing every value through {@code expander} (null = no expansion, in
   * which case a variable in {@code from} is refused as BuildKit does).
   *
   * @throws BuildfileException without range for an invalid spec
   */
  public static RunMount parse(String spec, UnaryOperator<String> expander) {
    Type type = Type.BIND;
    String from = null;
    String source = null;
    String target = null;
    Boolean readOnly = null;
    String id = null;
    Sharing sharing = null;
    Long mode = null;
    Long uid = null;
    Long gid = null;
    Long size = null;
    boolean required = false;
    String env = null;
    boolean deferred = false;
    for (String field : csv(spec)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (eq < 0) {
        switch (key) {
          case "readonly", "ro" -> {
            readOnly = true;
            continue;
          }
          case "readwrite", "rw" -> {
            readOnly = false;
            continue;
          }
          case "required" -> {
            if (type != Type.SECRET && type != Type.SSH) {
              throw new BuildfileException(
                  "unexpected key 'required' for mount type '" + type.lower() + "'");
            }
            required = true;
            continue;
          }
          default ->
              throw new BuildfileException(
                  "invalid field '" + field + "' must be a key=value pair");
        }
      }
      String value = field.substring(eq + 1);
      if (expander != null) {
        value = expander.apply(value);
      } else if (key.equals("from") && value.matches("(?s).*\\$.+")) {
        throw new BuildfileException(
            "'from' doesn't support variable expansion, define alias stage instead");
      } else if (value.contains("$") && KEYS.contains(key)) {
        // checked once the stage's variables are known (BuildKit defers these too)
        deferred = true;
        continue;
      }
      switch (key) {
        case "type" -> {
          String t = value.toLowerCase(Locale.ROOT);
          type =
              switch (t) {
                case "bind" -> Type.BIND;
                case "cache" -> Type.CACHE;
                case "tmpfs" -> Type.TMPFS;
                case "secret" -> Type.SECRET;
                case "ssh" -> Type.SSH;
                default ->
                    throw new BuildfileException(
                        Suggest.wrap(
                            "unsupported mount type \"" + value + "\"",
                            value,
                            List.of("bind", "cache", "tmpfs", "secret", "ssh"),
                            true));
              };
        }
        case "from" -> from = value;
        case "source", "src" -> source = value;
        case "target", "dst", "destination" -> target = value;
        case "readonly", "ro" -> readOnly = bool(key, value);
        case "readwrite", "rw" -> readOnly = !bool(key, value);
        case "required" -> {
          if (type != Type.SECRET && type != Type.SSH) {
            throw new BuildfileException(
                "unexpected key 'required' for mount type '" + type.lower() + "'");
          }
          required = bool(key, value);
        }
        case "id" -> id = value;
        case "sharing" ->
            sharing =
                switch (value.toLowerCase(Locale.ROOT)) {
                  case "shared" -> Sharing.SHARED;
                  case "private" -> Sharing.PRIVATE;
                  case "locked" -> Sharing.LOCKED;
                  default ->
                      throw new BuildfileException(
                          "unsupported sharing value \""
                              + value
                              + "\" (want shared, private or locked)");
                };
        case "mode" -> mode = unsigned(key, value, 8);
        case "uid" -> uid = unsigned(key, value, 10);
        case "gid" -> gid = unsigned(key, value, 10);
        case "size" -> size = bytes(value);
        case "env" -> env = value;
        default ->
            throw new BuildfileException(
                Suggest.wrap("unexpected key '" + key + "' in '" + field + "'", key, KEYS, true));
      }
    }
    boolean ro = readOnly != null ? readOnly : !(type == Type.CACHE || type == Type.TMPFS);
    if (!deferred) {
      validate(type, from, source, target, id, sharing, mode, uid, gid, size, env);
    }
    return new RunMount(
        type,
        Optional.ofNullable(from),
        Optional.ofNullable(source),
        Optional.ofNullable(target),
        ro,
        Optional.ofNullable(id),
        sharing == null ? Sharing.SHARED : sharing,
        opt(mode),
        opt(uid),
        opt(gid),
        opt(size),
        required,
        Optional.ofNullable(env),
        spec);
  }

  /** BuildKit's checks of which options a mount type takes (skipped while values still hold variables). */
  private static void validate(Type type, String from, String source, String target, String id, Sharing sharing,
      Long mode, Long uid, Long gid, Long size, String env) {
    boolean fileInfo = type == Type.SECRET || type == Type.SSH || type == Type.CACHE;
    if (mode != null && !fileInfo) {
      throw new BuildfileException("mode not allowed for \"" + type.lower() + "\" type mounts");
    }
    if (uid != null && !fileInfo) {
      throw new BuildfileException("uid not allowed for \"" + type.lower() + "\" type mounts");
    }
    if (gid != null && !fileInfo) {
      throw new BuildfileException("gid not allowed for \"" + type.lower() + "\" type mounts");
    }
    if (size != null && type != Type.TMPFS) {
      throw new BuildfileException("size not allowed for \"" + type.lower() + "\" type mounts");
    }
    if (env != null && type != Type.SECRET) {
      throw new BuildfileException("env not allowed for \"" + type.lower() + "\" type mounts");
    }
    if (sharing != null && type != Type.CACHE) {
      throw new BuildfileException("invalid cache sharing set for " + type.lower() + " mount");
    }
    if (from != null && (type == Type.SECRET || type == Type.SSH || type == Type.TMPFS)) {
      throw new BuildfileException(type.lower() + " mount should not have a from");
    }
    if (type == Type.SECRET && source != null && id != null) {
      throw new BuildfileException("both source and id can't be set");
    }
    if (type == Type.SECRET && source == null && target == null && id == null && env == null) {
      throw new BuildfileException("invalid secret mount. one of source, target, env required");
    }
    if ((type == Type.BIND || type == Type.CACHE || type == Type.TMPFS)
        && (target == null || target.isEmpty())) {
      throw new BuildfileException("mount type " + type.lower() + " requires a target");
    }
  }

  private static OptionalLong opt(Long v) {
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  private static boolean bool(String key, String value) {
    // Go's strconv.ParseBool
    return switch (value) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new BuildfileException("invalid value for " + key + ": " + value);
    };
  }

  private static long unsigned(String key, String value, int radix) {
    try {
      long v = Long.parseLong(value, radix);
      if (v < 0 || v > 0xFFFF_FFFFL || value.startsWith("+") || value.startsWith("-")) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BuildfileException("invalid value " + value + " for " + key);
    }
  }

  /** A size such as {@code 64m}, {@code 1g}, {@code 512kb} or a plain byte count (binary units). */
  static long bytes(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) {
      i++;
    }
    String num = v.substring(0, i);
    String unit = v.substring(i).trim();
    if (unit.endsWith("ib")) {
      unit = unit.substring(0, unit.length() - 2);
    } else if (unit.endsWith("b")) {
      unit = unit.substring(0, unit.length() - 1);
    }
    long mult =
        switch (unit) {
          case "" -> 1L;
          case "k" -> 1L << 10;
          case "m" -> 1L << 20;
          case "g" -> 1L << 30;
          case "t" -> 1L << 40;
          case "p" -> 1L << 50;
          default -> -1L;
        };
    try {
      if (mult < 0 || num.isEmpty()) {
        throw new NumberFormatException();
      }
      double d = Double.parseDouble(num);
      return (long) (d * mult);
    } catch (NumberFormatException e) {
      throw new BuildfileException("invalid size: '" + value + "'");
    }
  }

  /**
   * One CSV record (Go's encoding/csv): commas separate fields, a field may be double-quoted with
   * "" for a quote.
   */
  static List<String> csv(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    if (n == 0) {
      return out;
    }
    while (true) {
      StringBuilder f = new StringBuilder();
      if (i < n && s.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new BuildfileException(
                "failed to parse csv mounts: extraneous or missing \" in quoted-field");
          }
          char c = s.charAt(i);
          if (c == '"') {
            if (i + 1 < n && s.charAt(i + 1) == '"') {
              f.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          f.append(c);
          i++;
        }
        if (i < n && s.charAt(i) != ',') {
          throw new BuildfileException(
              "failed to parse csv mounts: extraneous or missing \" in quoted-field");
        }
      } else {
        while (i < n && s.charAt(i) != ',') {
          char c = s.charAt(i);
          if (c == '"') {
            throw new BuildfileException("failed to parse csv mounts: bare \" in non-quoted-field");
          }
          f.append(c);
          i++;
        }
      }
      out.add(f.toString());
      if (i >= n) {
        return out;
      }
      i++; // the comma
    }
  }
}
