#!/usr/bin/env bash
# Runs the deposit benchmark: a deposit as its depositor sees it (wharf deposit submit --wait against
# wharf local up; the same calls from a Java client) against git init && git add -A && git write-tree.
#   bench/run-deposit.sh [workDir] [runs=3] [smallFiles=20000] [largeFiles=5] [largeMiB=64] [sourcesJar=auto] [scaleSizes=2000,200000]
# sourcesJar "auto" fetches a real source tree nobody here wrote from Maven Central (kafka-clients' sources).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests install
# The command as a depositor runs it (./wharf): its unpacked jar and class-data archive made now, outside every window.
./wharf --version >/dev/null
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
work="${1:-target/bench-deposit}"
sources="${6:-auto}"
if [ "$sources" = auto ]; then
  version=$(./mvnw -q -pl common help:evaluate -Dexpression=kafka.version -DforceStdout)
  ./mvnw -q dependency:copy -Dartifact="org.apache.kafka:kafka-clients:${version}:jar:sources" -DoutputDirectory="$work" >/dev/null
  sources="$(realpath "$work/kafka-clients-${version}-sources.jar")"
fi
exec java -cp "bench/target/classes:$cp" org.wharf.bench.DepositBenchmark "$work" "${2:-3}" "${3:-20000}" "${4:-5}" "${5:-64}" "$sources" "${7:-2000,200000}"
