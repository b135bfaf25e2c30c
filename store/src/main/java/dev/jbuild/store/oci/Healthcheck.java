package dev.jbuild.store.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.List;

/**
 * Docker's container health check, an extension of the image config that docker, podman and
 * buildah write under {@code config.Healthcheck}. Durations are Go {@code time.Duration} values on
 * the wire (integer nanoseconds); zero or absent means "inherit the default".
 *
 * <p>{@code Test} is {@code ["NONE"]} (disabled), {@code ["CMD", args...]} or {@code ["CMD-SHELL",
 * command]}; empty means inherit from the base image.
 *
 * @see <a href="https://docs.docker.com/reference/dockerfile/#healthcheck">Dockerfile HEALTHCHECK</a>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"})
public record Healthcheck(
    @JsonProperty("Test") List<String> test,
    @JsonProperty("Interval") Duration interval,
    @JsonProperty("Timeout") Duration timeout,
    @JsonProperty("StartPeriod") Duration startPeriod,
    @JsonProperty("StartInterval") Duration startInterval,
    @JsonProperty("Retries") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int retries) {

  public Healthcheck {
    test = test == null ? null : List.copyOf(test);
    interval = zeroToNull(interval, "Interval");
    timeout = zeroToNull(timeout, "Timeout");
    startPeriod = zeroToNull(startPeriod, "StartPeriod");
    startInterval = zeroToNull(startInterval, "StartInterval");
    if (retries < 0) {
      throw new InvalidConfigException("Healthcheck.Retries must not be negative, got " + retries);
    }
  }

  /** A disabled health check ({@code HEALTHCHECK NONE}). */
  public static Healthcheck none() {
    return new Healthcheck(List.of("NONE"), null, null, null, null, 0);
  }

  // Zero is "not set" in docker's Go struct, so both spellings are one value here.
  private static Duration zeroToNull(Duration d, String name) {
    if (d != null && d.isNegative()) {
      throw new InvalidConfigException("Healthcheck." + name + " must not be negative, got " + d);
    }
    return d == null || d.isZero() ? null : d;
  }
}
