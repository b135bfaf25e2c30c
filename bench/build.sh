#!/usr/bin/env bash
# build.sh — jbuild against buildah on the three shared workloads (../shared/bench/workloads: w1-small,
# w2-bigfiles, w3-manysteps), cold (empty store / storage before every run) and warm (everything cached),
# measured in the same run with hyperfine. Prints a table of medians and the jbuild/buildah ratios.
#
# buildah is configured as ../shared/bench/anchors.sh does: its own containers.conf and storage.conf in a
# temp dir (runtime runc, cgroupfs, capped ulimits), so the system's container storage is left alone.
# Everything lives under $WORKDIR and is removed at the end (KEEP=1 keeps it).
#
# Usage: sudo bench/build.sh          RUNS=5 HEAVY_RUNS=3 WORKDIR=/var/tmp/jbuild-bench-build
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED:-$here/../shared/bench}
WORKDIR=${WORKDIR:-/var/tmp/jbuild-bench-build}
RUNROOT=${RUNROOT:-/run/jbuild-bench-build}
RUNS=${RUNS:-5}
HEAVY_RUNS=${HEAVY_RUNS:-3}
KEEP=${KEEP:-0}
WORKLOADS=(${WORKLOADS:-w1-small w2-bigfiles w3-manysteps})
[[ $(id -u) == 0 ]] || { echo "build.sh: run as root" >&2; exit 1; }
for t in hyperfine buildah jq; do command -v $t >/dev/null || { echo "build.sh: $t is missing" >&2; exit 1; }; done

. "$(dirname "${BASH_SOURCE[0]}")/netavark-cleanup.sh"
# podman and buildah make their default bridge (podman0 with netavark, cni-podman0 with CNI) on first
# use: the ones that were not there before are removed afterwards
BRIDGES_BEFORE=$(ip -br link show type bridge 2>/dev/null | awk '{print $1}' || true)
cleanup() {
  set +e
  buildah rm -a >/dev/null 2>&1
  netavark_cleanup   # buildah's bridged RUN steps leave netavark's chains behind
  for br in podman0 cni-podman0; do
    grep -qx "$br" <<<"$BRIDGES_BEFORE" || ip link del "$br" 2>/dev/null
  done
  for m in $(awk -v a="$WORKDIR" -v b="$RUNROOT" '$2 ~ "^"a || $2 ~ "^"b {print $2}' /proc/self/mounts | sort -r); do
    umount -l "$m" 2>/dev/null
  done
  if [[ $KEEP != 1 ]]; then
    buildah rmi -a -f >/dev/null 2>&1
    rm -rf "$WORKDIR" "$RUNROOT"
  fi
}
trap cleanup EXIT
mkdir -p "$WORKDIR"/{conf,ctx,results} "$RUNROOT"
rm -f "$WORKDIR"/results/*.json

nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[[ $nofile == unlimited || $nofile -gt 1048576 ]] && nofile=1048576
[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
cat >"$WORKDIR/conf/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$RUNROOT/libpod"

[network]
network_config_dir = "$WORKDIR/networks"
EOC
cat >"$WORKDIR/conf/storage.conf" <<EOC
[storage]
driver = "overlay"
graphroot = "$WORKDIR/storage"
runroot = "$RUNROOT/storage"
EOC
export CONTAINERS_CONF=$WORKDIR/conf/containers.conf
export CONTAINERS_STORAGE_CONF=$WORKDIR/conf/storage.conf
export LC_ALL=C

"$here/scripts/busybox-rootfs" "$WORKDIR/rootfs.tar" >&2
for w in "${WORKLOADS[@]}"; do
  cp -r "$shared/workloads/$w" "$WORKDIR/ctx/$w"
  cp "$WORKDIR/rootfs.tar" "$WORKDIR/ctx/$w/rootfs.tar"
done
# build the launcher's jar once, outside the measurements, and measure a copy of it (with its own AOT
# cache) so that source edits or maven runs during the benchmark cannot change what is measured
"$here/bin/jbuild" version >/dev/null
cp "$here/cli/target/jbuild.jar" "$WORKDIR/jbuild.jar"
export JBUILD_JAR=$WORKDIR/jbuild.jar JBUILD_CACHE_DIR=$WORKDIR
"$here/bin/jbuild" version >/dev/null

jb="$here/bin/jbuild"
export JBUILD_ROOT=$WORKDIR/jbuild-store
RESET_JB="rm -rf $WORKDIR/jbuild-store"
RESET_BUILDAH='buildah rm -a >/dev/null 2>&1; buildah rmi -a -f >/dev/null 2>&1; true'

hf() { # hf NAME RUNS [hyperfine args...]
  local name=$1 runs=$2; shift 2
  echo "== $name ($runs runs)" >&2
  hyperfine --runs "$runs" --style basic --export-json "$WORKDIR/results/$name.json" -n "$name" "$@" >&2 ||
    echo "FAILED: $name" >&2
}

for w in "${WORKLOADS[@]}"; do
  n=$RUNS; [[ $w == w2-bigfiles ]] && n=$HEAVY_RUNS
  ctx=$WORKDIR/ctx/$w
  hf "jbuild-cold-$w" "$n" --prepare "$RESET_JB" "$jb build -q -t jb-$w $ctx"
  hf "jbuild-warm-$w" "$RUNS" --warmup 1 "$jb build -q -t jb-$w $ctx"
  hf "buildah-cold-$w" "$n" --prepare "$RESET_BUILDAH" "buildah bud --layers -q -t jb-$w $ctx"
  hf "buildah-warm-$w" "$RUNS" --warmup 1 "buildah bud --layers -q -t jb-$w $ctx"
done

# peak RSS of one cold jbuild W2 build
rss=
if [[ " ${WORKLOADS[*]} " == *" w2-bigfiles "* ]]; then
  rm -rf "$WORKDIR/jbuild-store"
  rss=$( { /usr/bin/time -f '%M' "$jb" build -q -t jb-w2 "$WORKDIR/ctx/w2-bigfiles" >/dev/null; } 2>&1 | tail -1)
fi

median() { jq -r '.results[0].median' "$WORKDIR/results/$1.json" 2>/dev/null || echo nan; }
printf '| workload | mode | jbuild median s | buildah median s | ratio |\n|---|---|---:|---:|---:|\n'
for w in "${WORKLOADS[@]}"; do
  for mode in cold warm; do
    j=$(median "jbuild-$mode-$w"); b=$(median "buildah-$mode-$w")
    r=$(awk -v j="$j" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", j / b; else print "n/a" }')
    printf '| %s | %s | %.3f | %.3f | %s |\n' "$w" "$mode" "$j" "$b" "$r"
  done
done
[[ -n $rss ]] && printf '\npeak RSS of a cold jbuild W2 build: %d MB\n' $((rss / 1024))
