#!/usr/bin/env bash
# Registry benchmark on the W2 image (a busybox rootfs layer, then a layer of 20 dirs x 1000 files
# of ~300 bytes plus 256 MiB of random data, as /work/shared/bench/workloads/w2-bigfiles builds it):
# `bin/jbuild push` to an empty repository of a local docker-registry and `bin/jbuild pull` into an
# empty store, against `skopeo copy` of the same image (the store's OCI layout <-> docker://) in the
# same run. The registry's storage is wiped before every push run, so each push uploads everything.
# A third push row is the registry's own floor: curl uploading the largest blob alone in one PUT.
# Medians from hyperfine; ratios are jbuild / skopeo (goal: <= 0.7). The machine is shared: the
# load average is printed with each phase, and cpu_s (user + system, mean) is less sensitive to it
# than wall time.
#
#   bench/registry.sh            RUNS=5 WARMUP=1 KEEP=1 (keep the work dir)
#
# Figures and what changed: bench/README.md. The floor here: the registry itself spends ~0.9 s of
# CPU hashing and writing the 257 MiB layer of a push (curl's bare PUT of it takes 1.5-2.5 s at load
# 8-11), and both tools fsync the pulled layer.
set -euo pipefail
cd "$(dirname "$0")/.."
home=$PWD
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
for tool in hyperfine skopeo docker-registry busybox jq curl python3; do
  command -v "$tool" >/dev/null || { echo "registry bench: $tool is required" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/jbuild-regbench.XXXXXX")
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

echo "== building jbuild (bin/jbuild builds the jar when the sources are newer)"
bin/jbuild version >/dev/null
jar=$home/cli/target/jbuild.jar

echo "== building the W2 image content in $work"
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,etc,tmp,root,proc,sys,dev}
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $(busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
data=$work/data
mkdir -p "$data"
(
  cd "$data"
  pad=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ
  pad="$pad$pad$pad$pad$pad"
  mkdir -p data
  d=0
  while [ $d -lt 20 ]; do
    mkdir -p data/d$d
    f=0
    while [ $f -lt 1000 ]; do printf '%s %d %d\n' "$pad" $d $f > data/d$d/f$f; f=$((f+1)); done
    d=$((d+1))
  done
  head -c 268435456 /dev/urandom > big
)
src=$work/src-store
"$JAVA_HOME/bin/java" -cp "$jar" bench/W2Image.java "$src" "$rootfs" "$data" w2:1 >/dev/null
JBUILD_ROOT=$src bin/jbuild images

echo "== starting docker-registry on 127.0.0.1"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
regdata=$work/registry-data
mkdir -p "$regdata"
cat > "$work/registry.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $regdata
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/v2/" >/dev/null || { cat "$work/registry.log"; exit 1; }
reg=127.0.0.1:$port

# jbuild remembers where blobs were pushed (for cross-repository mounts): forget it before each
# push so every run uploads, like skopeo
wipe_registry="rm -rf $regdata/docker $src/blob-sources.json"
export DOCKER_CONFIG=$work/docker
echo "== checking both tools once"
JBUILD_ROOT=$src bin/jbuild push -q w2:1 "$reg/bench/w2:jbuild"
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$src/oci:w2:1" "docker://$reg/bench/w2:skopeo"
[ "$(skopeo inspect --tls-verify=false "docker://$reg/bench/w2:jbuild" | jq -r .Digest)" = \
  "$(skopeo inspect --tls-verify=false "docker://$reg/bench/w2:skopeo" | jq -r .Digest)" ]

# The registry's own floor: the largest blob alone, uploaded by curl in one streamed PUT (POST to open
# the upload, PUT of the file with its digest), as both tools upload it
big=$(ls -S "$src/oci/blobs/sha256" | head -1)
cat > "$work/curl-put.sh" <<SH
#!/bin/sh
set -e
loc=\$(curl -fsS -D - -o /dev/null -X POST "http://$reg/v2/bench/w2/blobs/uploads/" | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')
case \$loc in http*) ;; *) loc="http://$reg\$loc" ;; esac
case \$loc in *\?*) sep='&' ;; *) sep='?' ;; esac
curl -fsS -o /dev/null -T "$src/oci/blobs/sha256/$big" -H 'Content-Type: application/octet-stream' "\$loc\${sep}digest=sha256:$big"
SH
chmod +x "$work/curl-put.sh"

echo "== push: $RUNS runs, $WARMUP warmup, empty registry each run ($(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$work/push.json" --prepare "$wipe_registry" \
  -n "jbuild push" "JBUILD_ROOT=$src bin/jbuild push -q w2:1 $reg/bench/w2:1" \
  -n "skopeo copy oci: -> docker://" "skopeo --insecure-policy copy -q --dest-tls-verify=false oci:$src/oci:w2:1 docker://$reg/bench/w2:1" \
  -n "curl PUT of the largest blob (floor)" "$work/curl-put.sh" >/dev/null

echo "== pull: $RUNS runs, $WARMUP warmup, empty store each run ($(cut -d' ' -f1-3 /proc/loadavg))"
eval "$wipe_registry"
JBUILD_ROOT=$src bin/jbuild push -q w2:1 "$reg/bench/w2:1" >/dev/null
dst=$work/pull-store
sk=$work/skopeo-pull
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$work/pull.json" --prepare "rm -rf $dst $sk" \
  -n "jbuild pull" "JBUILD_ROOT=$dst bin/jbuild pull -q $reg/bench/w2:1" \
  -n "skopeo copy docker:// -> oci:" "skopeo --insecure-policy copy -q --src-tls-verify=false docker://$reg/bench/w2:1 oci:$sk:w2:1" >/dev/null
# hyperfine's --prepare also emptied jbuild's store before skopeo's runs: pull once more to check it
rm -rf "$dst"
JBUILD_ROOT=$dst bin/jbuild pull -q "$reg/bench/w2:1" >/dev/null
JBUILD_ROOT=$dst bin/jbuild verify
[ "$(JBUILD_ROOT=$dst bin/jbuild inspect "$reg/bench/w2:1" | jq -r '.[0].Id')" = "$(JBUILD_ROOT=$src bin/jbuild inspect w2:1 | jq -r '.[0].Id')" ]

echo
size=$(du -sb "$src/oci/blobs" | cut -f1)
printf 'image: %s bytes of blobs\n' "$size"
printf 'load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-38s %10s %10s %10s %8s %8s\n' command median_s min_s max_s ratio cpu_s
for phase in push pull; do
  sk_median=$(jq -r '.results[] | select(.command | startswith("skopeo")) | .median' "$work/$phase.json")
  jq -r '.results[] | "\(.command)\t\(.median)\t\(.min)\t\(.max)\t\(.user + .system)"' "$work/$phase.json" |
    while IFS=$'\t' read -r name median min max cpu; do
      awk -v n="$name" -v m="$median" -v mn="$min" -v mx="$max" -v s="$sk_median" -v c="$cpu" \
        'BEGIN { printf "%-38s %10.3f %10.3f %10.3f %7.2fx %8.2f\n", n, m, mn, mx, m / s, c }'
    done
done
