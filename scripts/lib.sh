# Shared by the scripts: JAVA_HOME of the newest JDK >= 21.
newest_jdk() {
  local best= bestv=0 rel v
  for rel in /usr/lib/jvm/*/release; do
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
    [[ -n $v ]] || continue
    if (( v >= 21 && v > bestv )); then best=$(dirname "$rel"); bestv=$v; fi
  done
  [[ -n $best ]] || { echo "no JDK >= 21 under /usr/lib/jvm" >&2; return 1; }
  echo "$best"
}
