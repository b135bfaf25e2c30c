package dev.jbuild.builder.instruction;

import dev.jbuild.builder.parse.Node;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.parse.Warning;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lint checks that need the text as written rather than typed instructions (keyword casing,
 * stage name casing, legacy {@code ENV key value} form), named after BuildKit's checks.
 */
public final class SyntaxLints {
  private SyntaxLints() {}

  /** The warnings for a parsed file, in file order. */
  public static List<Warning> check(ParseResult parsed) {
    List<Warning> out = new ArrayList<>();
    long upper = parsed.children().stream().filter(n -> isUpper(n.keyword())).count();
    boolean majorityUpper = upper * 2 >= parsed.children().size();
    for (Node n : parsed.children()) {
      String kw = n.keyword();
      if (majorityUpper ? !isUpper(kw) : !isLower(kw)) {
        out.add(
            new Warning(
                "ConsistentInstructionCasing",
                "Command '"
                    + kw
                    + "' should match the case of the command majority ("
                    + (majorityUpper ? "uppercase" : "lowercase")
                    + ")",
                n.rangeOf(kw)));
      }
      if (n.command().equals("from") && n.args().size() == 3) {
        String as = n.args().get(1);
        if (isUpper(kw) ? !isUpper(as) : !isLower(as)) {
          out.add(
              new Warning(
                  "FromAsCasing",
                  "'" + as + "' and '" + kw + "' keywords' casing do not match",
                  n.range()));
        }
        String name = n.args().get(2);
        if (!isLower(name)) {
          out.add(
              new Warning(
                  "StageNameCasing",
                  "Stage name '" + name + "' should be lowercase",
                  n.rangeOf(name)));
        }
      }
      if ((n.command().equals("env") || n.command().equals("label"))
          && n.args().size() == 3
          && n.args().get(2).isEmpty()) {
        out.add(
            new Warning(
                "LegacyKeyValueFormat",
                "\"" + kw + " key value\" should be used as \"" + kw + " key=value\"",
                n.range()));
      }
    }
    return out;
  }

  private static boolean isUpper(String s) {
    return s.equals(s.toUpperCase(Locale.ROOT));
  }

  private static boolean isLower(String s) {
    return s.equals(s.toLowerCase(Locale.ROOT));
  }
}
