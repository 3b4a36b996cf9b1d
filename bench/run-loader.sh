#!/usr/bin/env bash
# Runs the deposit loader benchmark (the loader-service as its own process, heap capped at 256 MiB,
# against git on the same trees). Arguments are passed on:
#   bench/run-loader.sh [workDir] [smallFiles=20000] [largeFiles=5] [largeMiB=64] [runs=3] [format=tar.gz|tar]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests -pl bench -am install
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "bench/target/classes:$cp" org.wharf.bench.LoaderBenchmark "$@"
