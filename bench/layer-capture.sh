#!/usr/bin/env bash
# Layer capture benchmark on the W2 "bigfiles" tree (20 dirs x 1000 files of ~300 bytes + 256 MiB of
# random data, as /work/shared/bench/workloads/w2-bigfiles/Dockerfile builds it): jbuild's
# CaptureTool (tar + diffID + compression + compressed digest in one pass) against the classic
# pipelines. Every command hashes the compressed stream and discards it (SINK=file makes
# CaptureTool write a real file, as the blob store does).
#
#   bench/layer-capture.sh            RUNS=5 WARMUP=1 SINK=devnull|file KEEP=1 (keep the tree)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
SINK=${SINK:-devnull}
for tool in hyperfine pigz gzip tar jq sha256sum; do
  command -v "$tool" >/dev/null || { echo "layer-capture: $tool is required" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/jbuild-bench.XXXXXX")
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT

echo "== building store classes and classpath"
mvn -B -q -o -pl store compile >/dev/null
cpfile=$work/cp.txt
dep=org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath
mvn -B -q -o -pl store "$dep" -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime >/dev/null 2>&1 ||
  mvn -B -q -pl store "$dep" -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime >/dev/null
CP=$PWD/store/target/classes:$(cat "$cpfile")

echo "== building the W2 tree in $work/tree"
tree=$work/tree
mkdir -p "$tree"
(
  cd "$tree"
  pad=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ
  pad="$pad$pad$pad$pad$pad"
  d=0
  while [ $d -lt 20 ]; do
    mkdir -p data/d$d
    f=0
    while [ $f -lt 1000 ]; do printf '%s %d %d\n' "$pad" $d $f > data/d$d/f$f; f=$((f+1)); done
    d=$((d+1))
  done
  head -c 268435456 /dev/urandom > big
)

out() { [ "$SINK" = file ] && echo "$work/out.$1" || echo /dev/null; }
# zstd-jni 1.5.7-28 ships an FFM binding for Java 22+ (a multi-release jar) whose first use costs
# ~0.6 s CPU and up to seconds of wall time; its own error text recommends this flag for the JNI binding
JVM="$JAVA_HOME/bin/java -Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp $CP"
JAVA="$JVM -Djdk.util.jar.enableMultiRelease=false dev.jbuild.store.layer.CaptureTool"
JAVA_FFM="$JVM dev.jbuild.store.layer.CaptureTool"

echo "== one run each to check outputs and peak heap"
$JAVA "$tree" "$work/check.gz" gzip | tee "$work/gzip.txt"
$JAVA "$tree" "$work/check.zst" zstd | tee "$work/zstd.txt"
gzip -t "$work/check.gz"
[ "$(gzip -dc "$work/check.gz" | sha256sum | cut -c1-64)" = "$(awk '/^diffid/ {print substr($2, 8)}' "$work/gzip.txt")" ]
command -v zstd >/dev/null && zstd -t -q "$work/check.zst"
tarbytes=$(awk '/^diffid/ {print $4}' "$work/gzip.txt")
rm -f "$work"/check.*
sync

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== hyperfine: $RUNS runs, $WARMUP warmup, sink $SINK, tar stream $tarbytes bytes"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$work/h.json" \
  -n "jbuild gzip" "$JAVA $tree $(out gz) gzip" \
  -n "jbuild zstd" "$JAVA $tree $(out zst) zstd" \
  -n "jbuild zstd, zstd-jni FFM binding" "$JAVA_FFM $tree $(out zst) zstd" \
  -n "jbuild gzip, deflate every chunk" "$JAVA $tree $(out gz2) gzip-deflate-all" \
  -n "tar | pigz -p 2 | sha256sum" "tar -C $tree -cf - . | pigz -p 2 | sha256sum" \
  -n "tar | gzip | sha256sum" "tar -C $tree -cf - . | gzip | sha256sum" >/dev/null

echo
echo "load average before: $load0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-38s %10s %10s %10s %12s\n' command median_s min_s MB/s vs_pigz
pigz=$(jq -r '.results[] | select(.command == "tar | pigz -p 2 | sha256sum") | .median' "$work/h.json")
jq -r '.results[] | "\(.command)\t\(.median)\t\(.min)"' "$work/h.json" |
  while IFS=$'\t' read -r name median min; do
    awk -v n="$name" -v m="$median" -v mn="$min" -v b="$tarbytes" -v p="$pigz" \
      'BEGIN { printf "%-38s %10.3f %10.3f %10.1f %11.2fx\n", n, m, mn, b / m / 1e6, p / m }'
  done
echo
grep -h 'peak heap' "$work/gzip.txt" "$work/zstd.txt" | sed 's/^/peak: /'
