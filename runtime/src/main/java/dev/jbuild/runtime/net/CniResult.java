package dev.jbuild.runtime.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a CNI ADD result jbuild uses: the assigned addresses with their gateways.
 *
 * @param ips each {@code address} in CIDR form (e.g. {@code 10.218.0.5/24}) with its gateway (may be empty)
 */
public record CniResult(List<Ip> ips) {
  /** One assigned address. */
  public record Ip(String address, String gateway) {
    /** The address without its prefix length. */
    public String ip() {
      int slash = address.indexOf('/');
      return slash < 0 ? address : address.substring(0, slash);
    }
  }

  public CniResult {
    ips = List.copyOf(ips);
  }

  public static CniResult parse(String json) throws IOException {
    JsonNode n = JsonTrees.read(json, "CNI result");
    List<Ip> ips = new ArrayList<>();
    for (JsonNode ip : n.path("ips")) {
      ips.add(new Ip(ip.path("address").asText(), ip.path("gateway").asText("")));
    }
    return new CniResult(ips);
  }

  /** The first IPv4 address without prefix length. */
  public Optional<String> ipv4() {
    return ips.stream().map(Ip::ip).filter(a -> a.contains(".")).findFirst();
  }
}
