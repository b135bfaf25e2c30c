package dev.jbuild.store.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The condition behind {@link RequiresRoot} and {@link RequiresTools}: a missing privilege or tool
 * disables the test with the reason, unless {@code -Djbuild.requirePrivileged=true} (as CI runs),
 * where it fails the test instead, so skips cannot hide regressions.
 */
public final class Privileges implements ExecutionCondition {

  public static boolean isRoot() {
    try {
      String status = Files.readString(Path.of("/proc/self/status"));
      for (String line : status.split("\n")) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  public static boolean required() {
    return Boolean.getBoolean("jbuild.requirePrivileged");
  }

  /** Finds an executable on PATH or in the given extra directories. */
  public static Optional<Path> findTool(String name, String... extraDirs) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
    dirs.addAll(List.of(extraDirs));
    for (String d : dirs) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
    List<String> missing = new ArrayList<>();
    ctx.getElement().ifPresent(el -> {
      AnnotationSupport.findAnnotation(el, RequiresRoot.class).ifPresent(a -> {
        if (!isRoot()) {
          missing.add("root");
        }
      });
      AnnotationSupport.findAnnotation(el, RequiresTools.class).ifPresent(a -> {
        for (String t : a.value()) {
          if (findTool(t, "/usr/lib/cni", "/opt/cni/bin").isEmpty()) {
            missing.add("tool " + t);
          }
        }
      });
    });
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("privileges present");
    }
    String reason = "needs " + String.join(", ", missing);
    if (required()) {
      throw new IllegalStateException(reason + " (jbuild.requirePrivileged=true: a missing prerequisite is a failure)");
    }
    return ConditionEvaluationResult.disabled(reason);
  }
}
