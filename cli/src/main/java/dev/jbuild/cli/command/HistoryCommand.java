package dev.jbuild.cli.command;

import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.oci.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbuild history IMAGE}: how the image was made, newest step first, with layer sizes. */
@Command(name = "history", description = "Show the history of an image.")
public final class HistoryCommand extends StoreCommand {
  @Parameters(paramLabel = "IMAGE")
  String image;

  @Option(names = "--no-trunc", description = "Do not truncate the commands.")
  boolean noTrunc;

  public HistoryCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Image img = new Images(openStore()).resolve(image);
    List<HistoryEntry> history = img.config().history();
    List<String[]> rows = new ArrayList<>();
    int layer = 0;
    Instant now = Instant.now();
    List<String[]> body = new ArrayList<>();
    for (HistoryEntry h : history) {
      boolean empty = h.emptyLayer();
      long size = 0;
      if (!empty && layer < img.layers().size()) {
        size = img.layers().get(layer++).size();
      }
      String by = h.createdBy() == null ? "" : h.createdBy();
      if (!noTrunc && by.length() > 45) {
        by = by.substring(0, 44) + "…";
      }
      body.add(new String[] {
        "<missing>", Formats.ago(h.created(), now), by, Formats.size(size), h.comment() == null ? "" : h.comment()
      });
    }
    rows.add(new String[] {"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"});
    for (int i = body.size() - 1; i >= 0; i--) {
      rows.add(body.get(i));
    }
    if (rows.size() > 1) {
      rows.get(1)[0] = img.id().shortHex();
    }
    ctx.out().print(Formats.table(rows));
    return 0;
  }
}
