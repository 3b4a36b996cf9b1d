#!/usr/bin/env bash
# Runs the deploy benchmark: the same deploy (layout check, fetch the ref into a new release, link shared,
# migrate, switch, restart, health, prune) to 16 OpenSSH servers on 127.0.0.1 with Wharf (the deploy-service as
# its own process, Deploy sent -> DeployCompleted read) and with ansible-playbook (forks 16, bench/deploy/deploy.yml).
# Arguments are passed on:
#   bench/run-deploy.sh [workDir] [runs=3] [hosts=16] [warmUps=1] [ansible=tuned|defaults]
# Runs as root (each host's sshd has a mount namespace of its own). Installs what is missing with apt-get, from
# Debian's packages: openssh-server (sshd, ssh-keygen, ssh), ansible, git, curl.
# Builds through the reactor without installing anything in ~/.m2 (package, then the classpath of that build).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ansible-playbook >/dev/null || missing+=(ansible)
command -v git >/dev/null || missing+=(git)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "run-deploy.sh: installing ${missing[*]} (apt-get)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
./mvnw -q -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.wharf.bench.DeployBenchmark "$@"
