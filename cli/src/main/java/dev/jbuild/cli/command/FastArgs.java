package dev.jbuild.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command lines of the simple store commands (push, pull) parsed without picocli: long and
 * short options that take no value, options that take one ({@code --name V} or {@code --name=V}),
 * options whose value is optional (only in the {@code --name=V} form) and a bounded number of
 * positionals. Building picocli's model of a command reads its annotations through dynamic proxies
 * and sets fields through method handles spun at run time, ~120 ms of a command that may take less.
 * Anything this parser does not handle exactly as picocli would (help, {@code --debug}, {@code --},
 * a clustered or unknown option, a value or positional that starts with "-", too few or too many
 * positionals) makes {@link #parse} answer false, and the caller goes the picocli way, which also
 * produces the error messages. Tests check each command's fast parse against picocli's.
 */
final class FastArgs {
  /** Takes one option; false when picocli would refuse or treat it differently. */
  interface Setter {
    boolean set(String name, String value);
  }

  /** What a command takes. */
  record Grammar(Set<String> flags, Set<String> valued, Set<String> optionalValue, int minPositionals, int maxPositionals) {
    boolean knows(String name) {
      return flags.contains(name) || valued.contains(name) || optionalValue.contains(name);
    }
  }

  private FastArgs() {}

  /**
   * Parses {@code args} from index 1 ({@code args[0]} is the subcommand): options go to {@code set}
   * (flags with a null value), positionals to {@code positionals}. False: leave it to picocli.
   */
  static boolean parse(String[] args, Grammar g, Setter set, List<String> positionals) {
    List<String> pos = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-")) {
        pos.add(a);
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      boolean ok;
      if (g.flags().contains(name) && value == null) {
        ok = set.set(name, null);
      } else if (g.optionalValue().contains(name) && value != null) {
        ok = set.set(name, value);
      } else if (g.valued().contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
            return false;
          }
          value = args[++i];
        }
        ok = set.set(name, value);
      } else {
        ok = false;
      }
      if (!ok) {
        return false;
      }
    }
    if (pos.size() < g.minPositionals() || pos.size() > g.maxPositionals()) {
      return false;
    }
    positionals.addAll(pos);
    return true;
  }

  /**
   * A registry command from {@code args} when {@code args[0]} is {@code name}: fresh store and
   * registry options, each option through {@code setter}, the positionals through {@code
   * positionals}. Empty for anything picocli should see.
   */
  static <C extends RegistryCommand> java.util.Optional<C> command(String[] args, String name, Grammar g, C c,
      java.util.function.Function<C, Setter> setter, java.util.function.BiConsumer<C, List<String>> positionals) {
    if (args.length < 2 || !args[0].equals(name)) {
      return java.util.Optional.empty();
    }
    c.storeOptions = new dev.jbuild.cli.option.StoreOptions();
    c.registryOptions = new dev.jbuild.cli.option.RegistryOptions();
    List<String> pos = new ArrayList<>();
    try {
      if (!parse(args, g, setter.apply(c), pos)) {
        return java.util.Optional.empty();
      }
    } catch (java.nio.file.InvalidPathException e) {
      return java.util.Optional.empty();
    }
    positionals.accept(c, pos);
    return java.util.Optional.of(c);
  }

  /** {@code --tls-verify=V} as picocli reads a boolean; false for anything else. */
  static boolean tlsVerify(dev.jbuild.cli.option.RegistryOptions r, String v) {
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      return false;
    }
    r.tlsVerify = Boolean.parseBoolean(v);
    return true;
  }
}
