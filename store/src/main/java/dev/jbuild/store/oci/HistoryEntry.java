package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One step in an image's history; {@code empty_layer} marks steps that changed only the config, so
 * the entries without it correspond one to one with the layers.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">config.md</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"created", "created_by", "author", "comment", "empty_layer"})
public record HistoryEntry(
    @JsonProperty("created") Instant created,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("author") String author,
    @JsonProperty("comment") String comment,
    @JsonProperty("empty_layer") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean emptyLayer) {

  /** A history entry for a step that added a layer. */
  public static HistoryEntry layer(Instant created, String createdBy) {
    return new HistoryEntry(created, createdBy, null, null, false);
  }

  /** A history entry for a step that changed only the config. */
  public static HistoryEntry empty(Instant created, String createdBy) {
    return new HistoryEntry(created, createdBy, null, null, true);
  }

  public HistoryEntry withCreated(Instant c) {
    return new HistoryEntry(c, createdBy, author, comment, emptyLayer);
  }

  public HistoryEntry withAuthor(String a) {
    return new HistoryEntry(created, createdBy, a, comment, emptyLayer);
  }

  public HistoryEntry withComment(String c) {
    return new HistoryEntry(created, createdBy, author, c, emptyLayer);
  }
}
