package dev.jbuild.builder.plan;

import dev.jbuild.builder.instruction.Instruction;
import dev.jbuild.builder.parse.ParseResult;
import dev.jbuild.builder.parse.Parser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * The front-end benchmark (bench/parse-bench.sh runs it): parses, plans, expands and checks a
 * generated Buildfile of about 5,000 lines in-process, after warm-up, and prints the median time.
 *
 * <pre>{@code
 * java -cp ... dev.jbuild.builder.plan.ParseBench [lines] [iterations]
 * }</pre>
 */
public final class ParseBench {
  private ParseBench() {}

  /**
   * A realistic Buildfile of at least {@code lines} lines: several stages of every instruction
   * kind.
   */
  public static String generate(int lines) {
    StringBuilder sb =
        new StringBuilder("# syntax=docker/dockerfile:1\nARG BASE=debian\nARG TAG=12\n");
    int stage = 0;
    int n = 3;
    while (n < lines) {
      sb.append("\n# stage ").append(stage).append(" builds part ").append(stage).append('\n');
      sb.append("FROM ${BASE}:${TAG} AS s").append(stage).append('\n');
      sb.append("ARG VERSION=1.").append(stage).append(" TARGETARCH\n");
      sb.append("ENV APP_HOME=/opt/app").append(stage).append(" PATH=/opt/app/bin:$PATH\n");
      sb.append("LABEL org.opencontainers.image.version=\"$VERSION\" stage=")
          .append(stage)
          .append('\n');
      sb.append("WORKDIR $APP_HOME/src\n");
      sb.append("RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n")
          .append("    apt-get update && \\\n")
          .append("    apt-get install -y --no-install-recommends curl ca-certificates \\\n")
          .append("      build-essential git && \\\n")
          .append("    rm -rf /var/lib/apt/lists/*\n");
      sb.append("COPY --chown=1000:1000 --chmod=755 src/ lib/ $APP_HOME/\n");
      if (stage > 0) {
        sb.append("COPY --from=s")
            .append(stage - 1)
            .append(" /opt/app")
            .append(stage - 1)
            .append(" /opt/prev\n");
      }
      sb.append("COPY <<EOF /etc/app.conf\nname=$VERSION\nhome=$APP_HOME\nEOF\n");
      sb.append("RUN <<EOT bash\nset -e\necho building $VERSION\nmake -j4 all\nEOT\n");
      sb.append("EXPOSE 80 443/tcp 8000-8010/udp\n");
      sb.append("USER app:app\n");
      sb.append("VOLUME [\"/data\", \"/logs\"]\n");
      sb.append(
          "HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -f http://127.0.0.1/ ||"
              + " exit 1\n");
      sb.append("ENTRYPOINT [\"/opt/app/bin/run\"]\n");
      sb.append("CMD [\"--serve\"]\n");
      stage++;
      n += 28;
    }
    return sb.toString();
  }

  /** Counts the instructions a plan would expand (done once, outside the timed part). */
  static int count(String text) {
    ParseResult r = Parser.parse("Buildfile", text);
    BuildPlan plan = Planner.plan(r, BuildOptions.defaults());
    int count = 0;
    for (Stage s : plan.requiredStages()) {
      StageEnv env = plan.stageEnv(s.index(), List.of("PATH=/usr/bin"));
      for (Instruction in : s.instructions()) {
        env.expand(in);
        count++;
      }
    }
    return count;
  }

  /**
   * One full front-end pass as {@code build --check} does it: parse, type, plan, expand every
   * stage, lint.
   */
  static void once(String text) {
    CheckReport report = BuildfileChecker.check("Buildfile", text, BuildOptions.defaults());
    if (!report.ok()) {
      throw new IllegalStateException(
          "[internal error] generated Buildfile does not check:\n" + report.format());
    }
  }

  public static void main(String[] args) {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    String text = generate(lines);
    long lineCount = text.lines().count();
    int instructions = count(text);
    for (int i = 0; i < 30; i++) {
      once(text);
    }
    // wall time suffers when other processes share the CPUs; thread CPU time shows the work itself
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] ms = new double[iterations];
    double[] cpu = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      once(text);
      ms[i] = (System.nanoTime() - t0) / 1e6;
      cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
    }
    Arrays.sort(ms);
    Arrays.sort(cpu);
    System.out.printf(
        "parse+plan+expand+check: %d lines, %d instructions, median %.1f ms wall (min %.1f, max"
            + " %.1f), median %.1f ms CPU, over %d runs after warm-up%n",
        lineCount,
        instructions,
        ms[iterations / 2],
        ms[0],
        ms[iterations - 1],
        cpu[iterations / 2],
        iterations);
  }
}
