#!/usr/bin/env bash
# Runs the fault run: the whole platform on `wharf local up --processes` (two replicas of each service)
# driven with deposits, backups, deploys and schedules while a seeded plan kills processes, restarts the
# broker, takes S3 away for 60 s and restarts PostgreSQL; then checks every promise. Exit status 0: passed.
#   bench/run-faults.sh [minutes=10] [seed=1] [workDir=target/fault-run]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"; seed="${2:-1}"; work="${3:-target/fault-run}"
./mvnw -q -DskipTests -pl bench -am install
./wharf --version >/dev/null   # builds and unpacks the command the stack runs from
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "bench/target/classes:$cp" org.wharf.bench.FaultRun "$work" "$minutes" "$seed"
