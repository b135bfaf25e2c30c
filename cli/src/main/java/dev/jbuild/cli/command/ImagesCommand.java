package dev.jbuild.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.ref.ImageRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jbuild images}: the images of the store, one line per name. */
@Command(name = "images", aliases = "image-list", description = "List images.")
public final class ImagesCommand extends StoreCommand {
  @Option(names = "--format", paramLabel = "table|json", description = "Output format (default: table).")
  String format = "table";

  @Option(names = {"-q", "--quiet"}, description = "Only show image ids.")
  boolean quiet;

  @Option(names = "--no-trunc", description = "Show full image ids.")
  boolean noTrunc;

  public ImagesCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    List<Images.Listed> list = new Images(openStore()).list();
    if (format.equals("json")) {
      ArrayNode arr = Json.PRETTY.createArrayNode();
      for (Images.Listed l : list) {
        Image img = l.image();
        ObjectNode o = arr.addObject();
        o.put("Repository", l.ref().map(ImageRef::familiarName).orElse("<none>"));
        o.put("Tag", l.ref().flatMap(ImageRef::tag).orElse("<none>"));
        o.put("Id", img.id().toString());
        o.put("Digest", img.manifestDigest().toString());
        o.put("Created", img.config().created() == null ? null : img.config().created().toString());
        o.put("Size", img.compressedSize());
      }
      ctx.out().println(Json.pretty(arr));
      return 0;
    }
    if (!format.equals("table")) {
      throw new IllegalArgumentException("unknown --format \"" + format + "\": want table or json");
    }
    Instant now = Instant.now();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
    for (Images.Listed l : list) {
      Image img = l.image();
      String id = noTrunc ? img.id().toString() : img.id().shortHex();
      if (quiet) {
        ctx.out().println(id);
        continue;
      }
      rows.add(new String[] {
        l.ref().map(ImageRef::familiarName).orElse("<none>"),
        l.ref().flatMap(ImageRef::tag).orElse("<none>"),
        id,
        Formats.ago(img.config().created(), now),
        Formats.size(img.compressedSize())
      });
    }
    if (!quiet) {
      ctx.out().print(Formats.table(rows));
    }
    return 0;
  }
}
