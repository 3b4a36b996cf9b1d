#!/usr/bin/env bash
# Runs the audit follow benchmark: `wharf audit tail --follow --key K --wide` (the wharf command's own
# process) while records of K are published to wharf.audit at a steady pace, then all at once.
# Arguments are passed on:
#   bench/run-audit.sh [workDir] [records=20000] [perSecond=1000] [burst=50000]
# Builds through the reactor without installing anything in ~/.m2 (package, then the classpath of that
# build), the `wharf` command (cli/target/wharf.jar) included.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests -pl bench,cli -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.wharf.bench.AuditFollowBenchmark "$@"
