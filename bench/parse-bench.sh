#!/bin/bash
# Front-end benchmark: parse + plan + expand + check a generated ~5,000-line Buildfile in-process
# and print the median time after warm-up (goal: under 50 ms). Usage: bench/parse-bench.sh [lines] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -o -pl builder -am test-compile >/dev/null
M2=${M2_REPO:-$HOME/.m2/repository}
JACKSON=$(ls "$M2"/com/fasterxml/jackson/core/jackson-{databind,core,annotations}/*/jackson-*.jar | grep -E '2\.22\.4|annotations/2\.22/' | tr '\n' ':')
CP=builder/target/classes:builder/target/test-classes:store/target/classes:runtime/target/classes:$JACKSON
exec "$JAVA_HOME/bin/java" -Xms256m -Xmx256m -cp "$CP" dev.jbuild.builder.plan.ParseBench "${1:-5000}" "${2:-30}"
