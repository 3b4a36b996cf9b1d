#!/usr/bin/env bash
# Runs the scale benchmark: the deposit pipeline on `wharf local up --processes` with 1, 2 and 3 replicas
# of the checker and the loader on 6 partitions. Arguments are passed on:
#   bench/run-scale.sh [workDir] [deposits=1000] [replicas=1,2,3]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests -pl bench -am install
./wharf --version >/dev/null   # builds and unpacks the command the stack runs from
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "bench/target/classes:$cp" org.wharf.bench.ScaleBenchmark "$@"
