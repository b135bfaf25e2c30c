package dev.jbuild.runtime.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A container's state as the runtime reports it ({@code runc state}, {@code runc list}).
 *
 * @param status {@code creating}, {@code created}, {@code running}, {@code paused} or {@code stopped}
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/v1.0.2/runtime.md#state">runtime-spec state</a>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeState(String id, long pid, String status, String bundle) {
  public boolean isRunning() {
    return "running".equals(status) || "created".equals(status) || "paused".equals(status);
  }
}
