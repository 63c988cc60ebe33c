#!/bin/sh
# Boots an isolated systemd for tests. Stage "outer" runs on the host, stage "inner" inside the new namespaces.
# SAFETY: systemd's tmpfiles setup wipes /tmp. Never exec systemd before the tmpfs mounts below have succeeded.
set -eu
box="${INITSOCK_BOX_DIR:?INITSOCK_BOX_DIR is required}"

if [ "${1:-}" = outer ]; then
  # Own cgroup first, so the box's cgroup namespace is rooted in a folder of its own (not the host's root).
  echo $$ > "${INITSOCK_BOX_CGROUP:?INITSOCK_BOX_CGROUP is required}/cgroup.procs"
  # pdeathsig: if the test process dies, unshare dies, and --kill-child takes the box's PID 1 with it.
  exec setpriv --pdeathsig KILL -- unshare --pid --fork --kill-child=SIGKILL --mount --uts --ipc --net --cgroup \
    --mount-proc sh "$0" inner
fi

[ "$$" = 1 ] || { echo "boot.sh inner: not PID 1 of a new PID namespace" >&2; exit 1; }
mount --make-rprivate /
for dir in /tmp /run /var/tmp /var/log; do
  mode=1777; [ "$dir" = /run ] && mode=755
  mount -t tmpfs -o "mode=$mode,size=64m" tmpfs "$dir"
  [ "$(stat -f -c %T "$dir")" = tmpfs ] || { echo "boot.sh inner: $dir is not a tmpfs" >&2; exit 1; }
done
mount -t cgroup2 cgroup2 /sys/fs/cgroup
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
exec /usr/lib/systemd/systemd --system --log-target=journal --log-level=info --show-status=no
