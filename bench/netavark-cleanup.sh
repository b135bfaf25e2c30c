# Sourced by the benchmarks that run podman or buildah: removes the iptables chains netavark (their
# network backend) creates for bridged containers and RUN steps, and the rules jumping to them.
# CNI-* chains are left alone: those are jbuild's, and may belong to containers running right now.
netavark_cleanup() {
  local t c
  for t in filter nat; do
    iptables -t "$t" -S 2>/dev/null | grep -E '^-A .*-j NETAVARK' | sed 's/^-A /-D /' |
      while read -r rule; do eval "iptables -t $t $rule" 2>/dev/null; done
    for c in $(iptables -t "$t" -S 2>/dev/null | awk '$1=="-N" && $2 ~ /^NETAVARK/ {print $2}'); do
      iptables -t "$t" -F "$c" 2>/dev/null
    done
    for c in $(iptables -t "$t" -S 2>/dev/null | awk '$1=="-N" && $2 ~ /^NETAVARK/ {print $2}'); do
      iptables -t "$t" -X "$c" 2>/dev/null
    done
  done
  return 0
}
