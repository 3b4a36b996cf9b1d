#!/usr/bin/env bash
# Runs the pipeline throughput benchmark on wharf local up (a process of its own): small deposits announced by
# a Java client, first as fast as accepted (sustained deposits/s), then at a fixed rate (received → done p50/p99).
#   bench/run-throughput.sh [workDir] [burst=2000] [rate=50] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests install
./wharf --version >/dev/null # the command's unpacked jar and class-data archive, made before anything is timed
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "bench/target/classes:$cp" org.wharf.bench.ThroughputBenchmark "$@"
