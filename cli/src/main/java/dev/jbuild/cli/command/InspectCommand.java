package dev.jbuild.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.cli.Jbuild;
import dev.jbuild.store.Store;
import dev.jbuild.store.image.Image;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layout.OciLayout;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jbuild inspect NAME...}: containers (state, pid, IP, ports, mounts) and images (manifest
 * digest, config, layers) as JSON; a name is looked up as a container first, as docker does.
 */
@Command(name = "inspect", description = "Show the details of containers or images as JSON.")
public final class InspectCommand extends StoreCommand {
  @Parameters(arity = "1..*", paramLabel = "CONTAINER|IMAGE")
  List<String> images;

  public InspectCommand(Jbuild.Context ctx) {
    super(ctx);
  }

  @Override
  int run() throws Exception {
    Store store = openStore();
    Images all = new Images(store);
    ArrayNode out = Json.PRETTY.createArrayNode();
    dev.jbuild.runtime.Runtime rt = hasContainers(storeRoot())
        ? new dev.jbuild.runtime.Runtime(dev.jbuild.runtime.RuntimeConfig.defaults(storeRoot().path(), ctx.env())) : null;
    for (String name : images) {
      if (rt != null) {
        java.util.Optional<dev.jbuild.runtime.ContainerInfo> c = container(rt, name);
        if (c.isPresent()) {
          ContainerInspect.add(out.addObject(), c.get());
          continue;
        }
      }
      // neither a container nor an image: the image lookup's "no such image" error says so
      Image img = all.resolve(name);
      ObjectNode o = out.addObject();
      o.put("Id", img.id().toString());
      ArrayNode tags = o.putArray("RepoTags");
      for (OciLayout.Entry e : store.layout().list()) {
        if (e.descriptor().digest().equals(img.manifestDigest())) {
          e.ref().ifPresent(r -> tags.add(OciLayout.refName(r)));
        }
      }
      o.put("Digest", img.manifestDigest().toString());
      o.put("MediaType", img.manifest().effectiveMediaType().toString());
      o.put("Created", img.config().created() == null ? null : img.config().created().toString());
      o.put("Author", img.config().author());
      o.put("Architecture", img.config().architecture());
      o.put("Os", img.config().os());
      o.put("Size", img.compressedSize());
      o.set("Config", Json.tree(img.config().configOrEmpty()));
      o.set("RootFS", Json.tree(img.config().rootfs()));
      o.set("Layers", Json.tree(img.layers()));
      o.set("History", Json.tree(img.config().history()));
      o.set("Manifest", Json.tree(img.manifest()));
    }
    ctx.out().println(Json.pretty(out));
    return 0;
  }

  private static java.util.Optional<dev.jbuild.runtime.ContainerInfo> container(dev.jbuild.runtime.Runtime rt, String name)
      throws java.io.IOException {
    try {
      return java.util.Optional.of(rt.inspect(name));
    } catch (dev.jbuild.runtime.container.ContainerNotFoundException e) {
      return java.util.Optional.empty();
    }
  }
}
