#!/usr/bin/env bash
# Runs the backup benchmark (the backup-service as its own process, heap capped at 64 MiB, against
# pg_dump -Fc to a file and pg_dump -Fc | gzip | aws s3 cp - on a pgbench database). Arguments are passed on:
#   bench/run-backup.sh [workDir] [scale=70] [runs=3] [partSize=default] [heapMiB=64] [warmUps=2]
# Needs the PostgreSQL 15 client tools (pg_dump, pgbench; PG_BIN=<folder> to choose them), gzip and aws.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in gzip aws; do
  command -v "$tool" >/dev/null || { echo "run-backup.sh: $tool is not on PATH" >&2; exit 2; }
done
./mvnw -q -DskipTests -pl bench -am install
cp=$(./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "bench/target/classes:$cp" org.wharf.bench.BackupBenchmark "$@"
