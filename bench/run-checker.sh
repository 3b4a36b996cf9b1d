#!/usr/bin/env bash
# Runs the deposit checker benchmark with the checker's heap cap (256 MiB). Arguments are passed on:
#   bench/run-checker.sh [workDir] [smallArchives=200] [largeContentMiB=640]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests -pl bench -am install
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -Xmx256m -cp "bench/target/classes:$cp" org.wharf.bench.CheckerBenchmark "$@"
