package dev.jbuild.store.verify;

import dev.jbuild.store.JbuildException;
import dev.jbuild.store.Store;
import dev.jbuild.store.digest.Digest;
import dev.jbuild.store.digest.DigestAlgorithm;
import dev.jbuild.store.image.Images;
import dev.jbuild.store.layout.OciLayout;
import dev.jbuild.store.oci.Descriptor;
import dev.jbuild.store.oci.ImageConfig;
import dev.jbuild.store.oci.Index;
import dev.jbuild.store.oci.Manifest;
import dev.jbuild.store.oci.OciJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Checks a store end to end: every blob's content against its name, and every image's references
 * (index to manifest to config and layers) for presence, size and consistency. Read-only.
 */
public final class Verifier {
  private final Store store;

  public Verifier(Store store) {
    this.store = store;
  }

  /** One thing wrong with the store: where, and what. */
  public record Fault(String place, String problem) {
    @Override
    public String toString() {
      return place + ": " + problem;
    }
  }

  /** The result: how much was checked and what was wrong. */
  public record Report(int blobs, int images, List<Fault> faults) {
    public boolean ok() {
      return faults.isEmpty();
    }
  }

  public Report verify() throws IOException {
    List<Fault> faults = new ArrayList<>();
    int blobs = verifyBlobs(faults);
    Set<Digest> seen = new HashSet<>();
    List<OciLayout.Entry> entries;
    try {
      entries = store.layout().list();
    } catch (JbuildException e) {
      faults.add(new Fault("oci/index.json", e.describe()));
      return new Report(blobs, 0, faults);
    }
    for (OciLayout.Entry e : entries) {
      String place = e.ref().map(OciLayout::refName).orElse(e.descriptor().digest().toString());
      checkNode(place, e.descriptor(), faults, seen);
    }
    return new Report(blobs, entries.size(), faults);
  }

  private int verifyBlobs(List<Fault> faults) throws IOException {
    int n = 0;
    Path dir = store.root().blobs().resolve("sha256");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    byte[] buf = new byte[1 << 20];
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        n++;
        String name = p.getFileName().toString();
        if (!name.matches("[a-f0-9]{64}")) {
          faults.add(new Fault("blobs/sha256/" + name, "not a sha256 blob name"));
          continue;
        }
        MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
        try (InputStream in = Files.newInputStream(p)) {
          for (int r; (r = in.read(buf)) > 0; ) {
            md.update(buf, 0, r);
          }
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(name)) {
          faults.add(new Fault("sha256:" + name, "content digest is sha256:" + got));
        }
      }
    }
    return n;
  }

  private void checkNode(String place, Descriptor d, List<Fault> faults, Set<Digest> seen) {
    if (!checkBlob(place, d, faults) || !seen.add(d.digest())) {
      return;
    }
    try {
      byte[] json = store.blobs().readAll(d.digest(), Images.MAX_JSON);
      if (d.mediaType().isIndex()) {
        for (Descriptor child : OciJson.read(json, Index.class).manifests()) {
          checkNode(place, child, faults, seen);
        }
        return;
      }
      Manifest m = OciJson.read(json, Manifest.class);
      if (!checkBlob(place + " config", m.config(), faults)) {
        return;
      }
      ImageConfig cfg = OciJson.read(store.blobs().readAll(m.config().digest(), Images.MAX_JSON), ImageConfig.class);
      for (Descriptor l : m.layers()) {
        checkBlob(place + " layer", l, faults);
      }
      int diffIds = cfg.rootfs().diffIds().size();
      if (diffIds != m.layers().size()) {
        faults.add(new Fault(place, "config lists " + diffIds + " diff_ids for " + m.layers().size() + " layers"));
      }
    } catch (JbuildException e) {
      faults.add(new Fault(place, e.describe()));
    } catch (IOException e) {
      faults.add(new Fault(place, "reading " + d.digest() + ": " + e.getMessage()));
    }
  }

  private boolean checkBlob(String place, Descriptor d, List<Fault> faults) {
    if (!store.blobs().has(d.digest())) {
      faults.add(new Fault(place, "missing blob " + d.digest()));
      return false;
    }
    try {
      long size = store.blobs().size(d.digest());
      if (size != d.size()) {
        faults.add(new Fault(place, "blob " + d.digest() + " is " + size + " bytes, descriptor says " + d.size()));
        return false;
      }
    } catch (IOException e) {
      faults.add(new Fault(place, "blob " + d.digest() + ": " + e.getMessage()));
      return false;
    }
    return true;
  }
}
