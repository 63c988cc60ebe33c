#!/bin/sh
# Boots an isolated systemd for tests. Stage "outer" runs on the host, stage "inner" inside the new namespaces.
# SAFETY: systemd's tmpfiles setup wipes /tmp. Never exec systemd before the tmpfs mounts below have succeeded.
set -eu
box="${INITSOCK_BOX_DIR:?INITSOCK_BOX_DIR is required}"

cgroup_mode="${INITSOCK_BOX_CGROUP_MODE:-unified}"

if [ "${1:-}" = outer ]; then
  # Own cgroups first (one per hierarchy), so the box's cgroup namespace is rooted in folders of its own.
  for cgroup in ${INITSOCK_BOX_CGROUPS:?INITSOCK_BOX_CGROUPS is required}; do echo $$ > "$cgroup/cgroup.procs"; done
  # pdeathsig: if the test process dies, unshare dies, and --kill-child takes the box's PID 1 with it.
  exec setpriv --pdeathsig KILL -- unshare --pid --fork --kill-child=SIGKILL --mount --uts --ipc --net --cgroup \
    --mount-proc sh "$0" inner
fi

[ "$$" = 1 ] || { echo "boot.sh inner: not PID 1 of a new PID namespace" >&2; exit 1; }
mount --make-rprivate /
# Each tmpfs is filled in a staging folder first, then moved over its place. Paths in INITSOCK_BOX_KEEP (':'-separated:
# the checkout, when it lives under /tmp) are bound back into it read-only, so the box still runs the built code
# at the same path and nothing in the box can change or delete the checkout.
stage="$box/stage"
mkdir -p "$stage"
for dir in /tmp /run /var/tmp /var/log; do
  mode=1777; [ "$dir" = /run ] && mode=755
  mount -t tmpfs -o "mode=$mode,size=64m" tmpfs "$stage"
  old_ifs=$IFS; IFS=:; set -f
  for keep in ${INITSOCK_BOX_KEEP:-}; do
    case "$keep" in
      "$dir"/*)
        mkdir -p "$stage${keep#"$dir"}"
        mount --bind "$keep" "$stage${keep#"$dir"}"
        mount -o remount,bind,ro "$stage${keep#"$dir"}" ;;
    esac
  done
  IFS=$old_ifs; set +f
  mount -n --move "$stage" "$dir" # -n: /run/mount/utab is gone once a tmpfs covers /run
  [ "$(stat -f -c %T "$dir")" = tmpfs ] || { echo "boot.sh inner: $dir is not a tmpfs" >&2; exit 1; }
done
if [ "$cgroup_mode" = hybrid ]; then
  # cgroup2 for tracking plus the v1 pids hierarchy (TasksMax=). Every other v1 controller gets an empty
  # read-only tmpfs where systemd would mount it, so systemd never makes cgroups in the host's trees of those.
  mount -t tmpfs -o mode=755,size=64k tmpfs /sys/fs/cgroup
  mkdir /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup/pids
  mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified
  mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
  mount -t cgroup -o pids cgroup /sys/fs/cgroup/pids
  for ctl in $(awk 'NR > 1 && $1 != "pids" { print $1 }' /proc/cgroups) cpu,cpuacct net_cls,net_prio; do
    mkdir -p "/sys/fs/cgroup/$ctl"
    mount -t tmpfs -o ro,size=4k tmpfs "/sys/fs/cgroup/$ctl"
  done
else
  mount -t cgroup2 cgroup2 /sys/fs/cgroup
fi
# PID 1 logs to /dev/console: send that to a file in the box folder instead of the host's console.
touch "$box/console.log"
mount --bind "$box/console.log" /dev/console
ip link set lo up
# The box's journald keeps its journal in the box's /run and leaves the host's kernel log alone.
mkdir -p /run/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\nReadKMsg=no\nForwardToSyslog=no\nForwardToWall=no\n' \
  > /run/systemd/journald.conf.d/initsock-box.conf

export SYSTEMD_UNIT_PATH="$box/system"
export SYSTEMD_GENERATOR_PATH="$box/empty" SYSTEMD_ENVIRONMENT_GENERATOR_PATH="$box/empty"
export container=initsock-box
exec /usr/lib/systemd/systemd --system --log-target=journal --log-level=${INITSOCK_BOX_LOG_LEVEL:-info} --show-status=no
