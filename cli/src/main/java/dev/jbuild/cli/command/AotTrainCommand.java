package dev.jbuild.cli.command;

import dev.jbuild.builder.plan.BuildOptions;
import dev.jbuild.builder.plan.BuildfileChecker;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreRoot;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.ContainerConfig;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.OciJson;
import dev.jbuild.store.oci.Platform;
import dev.jbuild.store.ref.ImageRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The launcher's training run for the JDK's AOT cache (JEP 514) or AppCDS archive: exercises the
 * code every short command starts with (option parsing of every command, the OCI JSON model, the
 * store, the Buildfile front end) on a throw-away store, so the cache holds those classes already
 * linked. Hidden; it prints nothing and leaves nothing behind.
 */
@Command(name = "aot-train", hidden = true, description = "Training run for the launcher's AOT cache.")
public final class AotTrainCommand implements Callable<Integer> {
  private static final String BUILDFILE = """
      # syntax=docker/dockerfile:1
      ARG BASE=scratch
      FROM ${BASE} AS build
      ENV GREETING=hello APP_HOME=/app
      WORKDIR /app
      COPY --chown=0:0 . /app/
      RUN --mount=type=cache,target=/root/.cache echo "$GREETING" > /app/greeting.txt
      FROM build
      LABEL org.opencontainers.image.title=train
      EXPOSE 80/tcp
      HEALTHCHECK --interval=30s CMD ["/bin/true"]
      CMD ["/bin/sh", "-c", "cat /app/greeting.txt"]
      """;

  private final Jbuild.Context ctx;

  public AotTrainCommand(Jbuild.Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    Path tmp = Files.createTempDirectory("jbuild-aot-train");
    try {
      Map<String, String> env = Map.of("JBUILD_ROOT", tmp.resolve("root").toString(), "HOME", tmp.toString());
      StringWriter sink = new StringWriter();
      PrintWriter quiet = new PrintWriter(sink);
      // every command's options, as picocli builds its model for each
      var cl = Jbuild.commandLine(quiet, quiet, env);
      for (String name : cl.getSubcommands().keySet()) {
        cl.getSubcommands().get(name).getUsageMessage();
      }
      Store store = Store.open(StoreRoot.of(tmp.resolve("root")));
      ImageConfig cfg = ImageConfig.of(Platform.LINUX_AMD64)
          .withConfig(ContainerConfig.EMPTY.withEnv("PATH", "/usr/bin:/bin").withCmd(List.of("/bin/sh")));
      OciJson.read(OciJson.write(cfg), ImageConfig.class);
      store.layout().add(new Images(store).write(cfg, List.of()));
      Jbuild.execute(quiet, quiet, env, "images");
      Jbuild.execute(quiet, quiet, env, "images", "--format", "json");
      ImageRef.parse("localhost:5000/team/app:1");
      BuildfileChecker.check("Buildfile", BUILDFILE, BuildOptions.defaults());
      quiet.flush();
      return 0;
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
