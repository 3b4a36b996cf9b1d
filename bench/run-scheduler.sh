#!/usr/bin/env bash
# Runs the scheduler benchmark (replicas as processes of their own). Arguments are passed on:
#   bench/run-scheduler.sh [workDir] [schedules=10000] [replicas=3] [minutes=2]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests -pl bench -am install
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "bench/target/classes:$cp" org.wharf.bench.SchedulerBenchmark "$@"
