#!/usr/bin/env bash
# A new user's machine: a fresh Debian 12 (debootstrap minbase, then only git and make), a clone
# of the repository's committed main, then the README's two commands. `make test` must pass and
# `make run` must serve http://127.0.0.1:8080/healthz.
#
# Usage (as root, from the repository root):  scripts/fresh-machine.sh [REPO]
# .ci/run runs it after `make test`. (The team's tool shared/tools/fresh-machine.sh, kept here
# so that the repository proves itself without anything outside it.)
# The first run builds a pristine system image (a few minutes) and keeps it as
# /tmp/fresh/pristine.tar; every run starts from a new copy of it, so nothing installed by an
# earlier run is left. Logs: /tmp/fresh/test.log, /tmp/fresh/run.log. Last line: the verdict.
set -u
src=$(cd "${1:-.}" && pwd)
base=/tmp/fresh root=/tmp/fresh/root img=/tmp/fresh/pristine.tar
mkdir -p $base
umount_all() { for m in dev/pts dev sys proc; do umount $root/$m 2>/dev/null; done; }
if [ ! -s $img ]; then
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
  umount_all; rm -rf $root
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
  debootstrap --variant=minbase bookworm $root ${mirror:-} >$base/debootstrap.log 2>&1 ||
    { echo "fresh machine: debootstrap failed ($base/debootstrap.log)"; exit 1; }
  # the only trust added is the host's own CA list, so that apt and npm reach the registries
  # the same way from inside the chroot as from the host
  mkdir -p $root/usr/local/share/ca-certificates
  cp /usr/local/share/ca-certificates/*.crt $root/usr/local/share/ca-certificates/ 2>/dev/null
  cp /etc/resolv.conf $root/etc/resolv.conf 2>/dev/null
  for m in proc sys dev; do mount --bind /$m $root/$m; done
  chroot $root bash -c 'apt-get update -qq && apt-get install -y -qq git make ca-certificates >/dev/null 2>&1; update-ca-certificates >/dev/null 2>&1'
  umount_all
  tar -C $root -cf $img . || { echo "fresh machine: could not save the image"; exit 1; }
fi
umount_all; rm -rf $root; mkdir -p $root && tar -C $root -xf $img
cp /etc/resolv.conf $root/etc/resolv.conf 2>/dev/null
for m in proc sys dev; do mount --bind /$m $root/$m; done
git clone -q "$src" $root/srv/otinish || { umount_all; echo "fresh machine: clone failed"; exit 1; }
env_ca='export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt;'
echo "== make test (fresh machine) =="
chroot $root bash -c "$env_ca cd /srv/otinish && make test" >$base/test.log 2>&1; trc=$?
grep -E '^FAIL|passed, [0-9]+ failed' $base/test.log | tail -15; [ $trc = 0 ] || tail -5 $base/test.log
echo "== make run (fresh machine) =="
if curl -sf -o /dev/null http://127.0.0.1:8080/healthz; then
  echo "port 8080 is already in use on this machine: make run not tried"; ok=0
else
  setsid chroot $root bash -c "$env_ca cd /srv/otinish && exec make run" >$base/run.log 2>&1 &
  pid=$!; ok=0
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null http://127.0.0.1:8080/healthz && { ok=1; break; }
    kill -0 $pid 2>/dev/null || break; sleep 1
  done
  [ $ok = 1 ] && curl -s http://127.0.0.1:8080/healthz && echo || tail -5 $base/run.log
  kill -TERM -- -$pid 2>/dev/null; sleep 3; kill -KILL -- -$pid 2>/dev/null
fi
sleep 1; umount_all
echo "fresh machine: make test exit $trc, make run served: $ok"
[ $trc = 0 ] && [ $ok = 1 ]
