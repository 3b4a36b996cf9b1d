#!/usr/bin/env bash
# Runs the deploy benchmark: the same deploy (layout check, fetch the ref into a new release, link shared,
# migrate, switch, restart, health, prune) to 16 OpenSSH servers on 127.0.0.1 with Wharf (the deploy-service as
# its own process, Deploy sent -> DeployCompleted read) and with ansible-playbook (forks 16, bench/deploy/deploy.yml).
# Arguments are passed on:
#   bench/run-deploy.sh [workDir] [runs=5] [hosts=16] [warmUps=1] [ansible=tuned|defaults]
# The hosts' folders (workDir/hosts: each host's releases, its sshd files) are a tmpfs of the run's own mount
# namespace, gone when the run ends: sixteen hosts are sixteen disks, and sixteen of them sharing this
# machine's one ext4 measured its inode allocator instead (find_inode_bit was 57% of git's CPU, 3 core-seconds
# a deploy, the same for both sides). WHARF_BENCH_HOST_FS=disk keeps them on the work folder's disk.
# Runs as root (each host's sshd has a mount namespace of its own). Installs what is missing with apt-get, from
# Debian's packages: openssh-server (sshd, ssh-keygen, ssh), ansible, git, curl.
# Builds through the reactor without installing anything in ~/.m2 (package, then the classpath of that build),
# the `wharf` command (cli/target/wharf.jar) included: its `deploy run --wait` is timed too.
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
./mvnw -q -DskipTests -pl bench,cli -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
if [ "${WHARF_BENCH_HOST_FS:-tmpfs}" = disk ]; then
  exec java -cp "$classpath" org.wharf.bench.DeployBenchmark "$@"
fi
work="$(realpath -m "${1:-target/bench-deploy}")"
mkdir -p "$work/hosts"
exec unshare --mount --propagation private sh -c 'mount -t tmpfs -o size=4g,mode=0755 wharf-bench-hosts "$1/hosts" && shift && exec "$@"' \
  sh "$work" java -cp "$classpath" org.wharf.bench.DeployBenchmark "$@"
