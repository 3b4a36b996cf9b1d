#!/usr/bin/env bash
# Runs the hop benchmark: one command at a time on an idle wharf local up (a process of its own), from a
# Java client sending it to the client reading the answer it caused (CreateSchedule, CreateClient, PinBackup).
#   bench/run-hop.sh [workDir] [hops=500] [warmUps=100]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests install
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "bench/target/classes:$cp" org.wharf.bench.HopBenchmark "$@"
