#!/bin/sh
# Starts a one-node Slurm cluster on this machine (Debian, as root, no systemd): munge, then
# slurmctld and slurmd with this machine's CPUs. For the CI test of sharded sweeps and for
# trying scripts/slurm/submit.sh without a cluster. `local-cluster.sh stop` stops it.
# Installs slurm-wlm and munge with apt-get when sbatch is missing.
set -eu
marker="# written by mesonet scripts/slurm/local-cluster.sh"
pids=/run/mesonet-local-cluster.pids
if [ "${1:-}" = stop ]; then
    # Only the daemons this script started.
    if [ -f "$pids" ]; then
        while read -r pid; do
            kill "$pid" 2> /dev/null || true
        done < "$pids"
        rm -f "$pids"
    fi
    exit 0
fi
if [ -f /etc/slurm/slurm.conf ] && ! grep -qF "$marker" /etc/slurm/slurm.conf; then
    echo "local-cluster: /etc/slurm/slurm.conf exists and was not written by this script;" \
        "refusing to replace a real cluster's configuration" >&2
    exit 1
fi
if ! command -v sbatch > /dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge > /dev/null
fi
host=$(hostname)
cpus=$(nproc)
memory=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
mkdir -p /run/munge /var/spool/slurmctld /var/spool/slurmd /etc/slurm
chown munge:munge /run/munge
[ -f /etc/munge/munge.key ] || /usr/sbin/mungekey --create > /dev/null 2>&1 || true
started() {
    # The newest process of this name: the one just started.
    pgrep -n -x "$1" >> "$pids"
}
pgrep -x munged > /dev/null || { runuser -u munge -- /usr/sbin/munged && started munged; }
cat > /etc/slurm/slurm.conf << CONF
$marker
ClusterName=mesonet-ci
SchedulerParameters=kill_invalid_depend
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
if pgrep -x slurmctld > /dev/null; then
    scontrol reconfigure > /dev/null 2>&1 || true
else
    /usr/sbin/slurmctld && sleep 1 && started slurmctld
fi
pgrep -x slurmd > /dev/null || { /usr/sbin/slurmd && sleep 1 && started slurmd; }
# Wait until the node takes jobs.
i=0
until sinfo -h -o %t 2> /dev/null | grep -q idle; do
    i=$((i + 1))
    if [ "$i" -gt 60 ]; then
        echo "local-cluster: the node did not become idle" >&2
        sinfo >&2 || true
        exit 1
    fi
    sleep 1
done
echo "local-cluster: $host up with $cpus CPUs"
