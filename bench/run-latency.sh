#!/usr/bin/env bash
# Container start-up latency: whole-process `jbuild run --rm IMG /bin/true` (through bin/jbuild)
# against `podman run --rm` and bare `runc run` of a prepared bundle, on the same busybox rootfs
# (scripts/busybox-rootfs), for --network none and the default bridge. hyperfine medians.
#
# podman is configured as ../shared/bench/anchors.sh does (runc, cgroupfs, capped ulimits, storage
# and network config in the temp dir). Everything is removed afterwards: jbuild's temp store, podman's
# isolated storage, the runc bundle, leftover mounts, podman's netavark iptables chains, the podman0
# bridge; net.ipv4.ip_forward is put back as it was. Run as root.
#
#   bench/run-latency.sh          LAT_RUNS=20 WARMUP=2 KEEP=0 (1 keeps the temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
LAT_RUNS=${LAT_RUNS:-20}
WARMUP=${WARMUP:-2}
KEEP=${KEEP:-0}
[[ $(id -u) == 0 ]] || { echo "run-latency: run as root" >&2; exit 2; }
for tool in hyperfine podman runc jq; do
  command -v "$tool" >/dev/null || { echo "run-latency: $tool is required (scripts/setup installs it)" >&2; exit 2; }
done

work=$(mktemp -d /var/tmp/jbuild-runlat.XXXXXX)
runroot=/run/jbuild-runlat-$$
mkdir -p "$work"/{conf,networks,results} "$runroot"
export LC_ALL=C
IPFWD_BEFORE=$(sysctl -n net.ipv4.ip_forward)
nft_chains() { nft -j list chains 2>/dev/null | jq -r '.nftables[] | select(.chain) | .chain | "\(.family) \(.table) \(.name)"'; }
NFT_TABLES_BEFORE=$(nft list tables 2>/dev/null || true)
NFT_CHAINS_BEFORE=$(nft_chains || true)
# podman and buildah make their default bridge (podman0 with netavark, cni-podman0 with CNI) on first
# use: the ones that were not there before are removed afterwards
BRIDGES_BEFORE=$(ip -br link show type bridge 2>/dev/null | awk '{print $1}' || true)

. "$(dirname "${BASH_SOURCE[0]}")/netavark-cleanup.sh"
cleanup() {
  set +e
  echo "== cleanup" >&2
  JBUILD_ROOT=$work/store bin/jbuild prune >/dev/null 2>&1
  runc delete -f jbbench-runc >/dev/null 2>&1
  podman rm -a -f -t 0 >/dev/null 2>&1            # only our isolated store
  podman system reset -f >/dev/null 2>&1
  for m in $(awk -v a="$work" -v b="$runroot" '$2 ~ "^"a || $2 ~ "^"b {print $2}' /proc/self/mounts | sort -r); do
    umount -l "$m" 2>/dev/null
  done
  netavark_cleanup
  while read -r fam tab ch; do
    [[ -z $ch ]] && continue
    grep -qxF "$fam $tab $ch" <<<"$NFT_CHAINS_BEFORE" && continue
    n=$(nft -j list chain "$fam" "$tab" "$ch" 2>/dev/null | jq '[.nftables[] | select(.rule)] | length')
    [[ $n == 0 ]] && nft delete chain "$fam" "$tab" "$ch"
  done < <(nft_chains)
  while read -r fam name; do
    grep -qxF "table $fam $name" <<<"$NFT_TABLES_BEFORE" && continue
    n=$(nft -j list table "$fam" "$name" 2>/dev/null | jq '[.nftables[] | select(.chain)] | length')
    [[ $n == 0 ]] && nft delete table "$fam" "$name"
  done < <(nft list tables 2>/dev/null | awk '{print $2, $3}')
  for br in podman0 cni-podman0; do
    grep -qx "$br" <<<"$BRIDGES_BEFORE" || ip link del "$br" 2>/dev/null
  done
  sysctl -qw net.ipv4.ip_forward="$IPFWD_BEFORE"
  if [[ $KEEP == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  rm -rf "$runroot"
}
trap cleanup EXIT

# ---- podman, configured as anchors.sh: runc, cgroupfs, ulimits capped to our hard limits
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[[ $nofile == unlimited || $nofile -gt 1048576 ]] && nofile=1048576
[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
cat >"$work/conf/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$runroot/libpod"

[network]
network_config_dir = "$work/networks"
EOC
cat >"$work/conf/storage.conf" <<EOC
[storage]
driver = "overlay"
graphroot = "$work/storage"
runroot = "$runroot/storage"
EOC
export CONTAINERS_CONF=$work/conf/containers.conf
export CONTAINERS_STORAGE_CONF=$work/conf/storage.conf

echo "== busybox rootfs, jbuild import, podman import, runc bundle" >&2
scripts/busybox-rootfs "$work/rootfs.tar" >&2
bin/jbuild version >/dev/null    # builds the jar and the AOT cache if needed: not part of a run
export JBUILD_ROOT=$work/store
bin/jbuild import "$work/rootfs.tar" bench-busybox >/dev/null
bin/jbuild run --rm --network none bench-busybox /bin/true   # unpacks the snapshot once
podman import -q "$work/rootfs.tar" localhost/bench-busybox >/dev/null
mkdir -p "$work/bundle/rootfs"
tar -C "$work/bundle/rootfs" -xf "$work/rootfs.tar"
(cd "$work/bundle" && runc spec &&
  jq '.process.args=["/bin/true"] | .process.terminal=false | .root.readonly=true' config.json >c.json &&
  mv c.json config.json)

hf() { # hf NAME COMMAND
  hyperfine --runs "$LAT_RUNS" --warmup "$WARMUP" --style basic --export-json "$work/results/$1.json" -n "$1" "$2" >&2
}
hf jbuild-none "bin/jbuild run --rm --network none bench-busybox /bin/true"
hf podman-none "podman run --rm --network=none localhost/bench-busybox /bin/true"
hf jbuild-bridge "bin/jbuild run --rm bench-busybox /bin/true"
hf podman-bridge "podman run --rm localhost/bench-busybox /bin/true"
hf runc "runc run --bundle $work/bundle jbbench-runc"

med() { jq -r '.results[0].median' "$work/results/$1.json"; }
{
  echo "date: $(date -u +%FT%TZ)  kernel: $(uname -r)  cpus: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "runc: $(runc --version | head -1)  podman: $(podman --version)  java: $(bin/jbuild version | sed -n 2p)"
  printf '| command | median s | min s | max s |\n|---|---:|---:|---:|\n'
  for n in jbuild-none podman-none jbuild-bridge podman-bridge runc; do
    jq -r '.results[0] | "| \(.command) | \(.median*1000|round/1000) | \(.min*1000|round/1000) | \(.max*1000|round/1000) |"' \
      "$work/results/$n.json"
  done
  awk -v jn="$(med jbuild-none)" -v pn="$(med podman-none)" -v jb="$(med jbuild-bridge)" -v pb="$(med podman-bridge)" \
      -v r="$(med runc)" 'BEGIN {
    printf "ratio jbuild/podman: none %.2fx, bridge %.2fx (goal <= 0.6x)\n", jn / pn, jb / pb
    printf "jbuild above bare runc: none +%.3f s, bridge +%.3f s\n", jn - r, jb - r }'
}
