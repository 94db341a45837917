#!/usr/bin/env bash
# Starts a single-node Slurm (slurmctld + slurmd, with munge) on this machine, for the job-array
# test. Needs root, and Debian's slurm-wlm and munge (installed by scripts/setup.sh --tests).
#   local-cluster.sh start   # prints nothing on success; exits non-zero with a reason otherwise
#   local-cluster.sh stop
set -euo pipefail
state=/tmp/equilibria-slurm
case "${1:-start}" in
stop)
  # slurmd can ignore SIGTERM while it waits for slurmctld: ask, wait up to 10 s, then insist.
  for daemon in slurmd slurmctld munged; do pkill -x "$daemon" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    # (zombies do not count: a container's init may never reap them)
    ps -C slurmd,slurmctld,munged -o stat= | grep -qv '^Z' || exit 0
    sleep 0.5
  done
  for daemon in slurmd slurmctld munged; do pkill -KILL -x "$daemon" 2>/dev/null || true; done
  exit 0 ;;
start) ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "slurm-wlm and munge are not installed; run scripts/setup.sh --tests (as the test command does)" >&2
  exit 3
fi
mkdir -p "$state"/{spool,ctld,log} /run/munge /var/log/munge /var/lib/munge /etc/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
chmod 0700 /etc/munge && chmod 0400 /etc/munge/munge.key
# Daemons get no terminal descriptors: whoever started this script may be reading its output
# to the end, which would otherwise wait for the daemons to exit.
pgrep -r R,S,D -x munged >/dev/null || runuser -u munge -- munged --force </dev/null >/dev/null 2>&1
host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
mkdir -p /etc/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=equilibria-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
pgrep -r R,S,D -x slurmctld >/dev/null || slurmctld </dev/null >/dev/null 2>&1
pgrep -r R,S,D -x slurmd >/dev/null || slurmd </dev/null >/dev/null 2>&1
for _ in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then exit 0; fi
  scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
  sleep 1
done
echo "Slurm did not come up; see $state/log" >&2
exit 1
