#!/bin/bash
# Extra lab hosts for the scaling bench (bench/scale.mjs): LXC containers bench-01.. on the lab's private
# bridge (192.168.56.101..), made from the lab's cached box as vagrant-lxc makes the lab's guests, with
# the same vagrant user and key. The five lab guests and lab.sh's state are never touched.
#
#   scale.sh create N KNOWN_HOSTS   base container (box + the roles' packages, no lab address), then N
#                                   overlay snapshots of it, started; their host keys into KNOWN_HOSTS
#   scale.sh destroy                every bench-* container, the base included
#
# The base gets the packages of common, ufw and node_exporter once (through lxc-net's NAT, as the lab's
# guests get theirs), so that 30 clones do not each download them; the bench then converges the clones
# with the roles themselves.
set -euo pipefail

BOX_DIR=${PROVISION_BOX_DIR:-${VAGRANT_HOME:-/var/lib/provision/vagrant.d}/boxes/provision-VAGRANTSLASH-debian12-lxc/0/lxc}
TEMPLATE=$(ls /usr/share/rubygems-integration/all/gems/vagrant-lxc-*/scripts/lxc-template 2>/dev/null | head -n1 || true)
LAB_BRIDGE=${PROVISION_LAB_BRIDGE:-provlab0}
BASE=bench-base
PACKAGES=(ca-certificates curl less ufw prometheus-node-exporter)

log() { printf '[scale] %s\n' "$*" >&2; }
die() { printf '[scale] error: %s\n' "$*" >&2; exit 1; }
name_of() { printf 'bench-%02d' "$1"; }
address_of() { echo "192.168.56.$((100 + $1))"; }
exists() { [ -f "/var/lib/lxc/$1/config" ]; }

# Every container's systemd takes several inotify instances, all counted against root: with the kernel's
# default of 128, the 20th-odd container's path units fail and its sshd never starts. The limit is
# raised for the bench's containers (8 per container besides what is in use), and the old value is put
# back by `destroy`.
INOTIFY=fs.inotify.max_user_instances
INOTIFY_SAVED=/var/lib/lxc/.bench-inotify-instances
raise_inotify() {
  local n=$1 now want
  now=$(sysctl -n "$INOTIFY")
  want=$((now + 8 * n))
  [ -f "$INOTIFY_SAVED" ] || echo "$now" >"$INOTIFY_SAVED"
  [ "$want" -le 8192 ] || want=8192
  [ "$now" -ge "$want" ] && return
  sysctl -qw "$INOTIFY=$want"
  log "$INOTIFY: $now -> $want for $n containers (put back by destroy)"
}
restore_inotify() {
  [ -f "$INOTIFY_SAVED" ] || return 0
  sysctl -qw "$INOTIFY=$(cat "$INOTIFY_SAVED")" && rm -f "$INOTIFY_SAVED"
}

make_base() {
  exists "$BASE" && lxc-info -n "$BASE" -s -H 2>/dev/null | grep -q STOPPED && [ -f "/var/lib/lxc/$BASE/ready" ] && return
  exists "$BASE" && { lxc-stop -n "$BASE" -k >/dev/null 2>&1 || true; lxc-destroy -n "$BASE" -f >/dev/null; }
  [ -f "$BOX_DIR/rootfs.tar.gz" ] || die "the lab's box is not cached at $BOX_DIR (run \`provision lab up\` once)"
  [ -n "$TEMPLATE" ] || die "vagrant-lxc's lxc-template was not found"
  log "base container $BASE from $BOX_DIR"
  lxc-create -n "$BASE" -t "$TEMPLATE" -- --tarball "$BOX_DIR/rootfs.tar.gz" --config "$BOX_DIR/lxc-config" >/dev/null
  lxc-start -n "$BASE"
  local i
  for i in $(seq 60); do
    lxc-attach -n "$BASE" -- sh -c 'ip -4 addr show eth0 | grep -q inet' 2>/dev/null && break
    sleep 1
  done
  log "installing ${PACKAGES[*]} in $BASE"
  lxc-attach -n "$BASE" -- env DEBIAN_FRONTEND=noninteractive sh -c \
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${PACKAGES[*]} >/dev/null" ||
    die "apt-get in $BASE failed"
  # Per-clone identity at first boot (as the box does): machine id and SSH host keys.
  lxc-attach -n "$BASE" -- sh -c ': > /etc/machine-id; rm -f /etc/ssh/ssh_host_*'
  lxc-stop -n "$BASE"
  touch "/var/lib/lxc/$BASE/ready"
}

create() {
  local n=$1 known=$2 i name ip
  [ "$n" -ge 1 ] && [ "$n" -le 99 ] || die "N must be 1..99"
  ip link show "$LAB_BRIDGE" >/dev/null 2>&1 || die "the lab bridge $LAB_BRIDGE is absent (is the lab up?)"
  make_base
  raise_inotify "$n"
  for i in $(seq "$n"); do
    name=$(name_of "$i") ip=$(address_of "$i")
    exists "$name" && continue
    lxc-copy -n "$BASE" -N "$name" -s -B overlay >/dev/null
    cat >>"/var/lib/lxc/$name/config" <<EOF
# bench/scale.sh: the lab address, as the Vagrantfile gives the lab's guests theirs
lxc.net.1.type = veth
lxc.net.1.link = $LAB_BRIDGE
lxc.net.1.flags = up
lxc.net.1.name = eth1
lxc.net.1.ipv4.address = $ip/24
lxc.uts.name = $name
lxc.mount.entry = tmpfs tmp tmpfs nodev,nosuid,size=64M 0 0
EOF
    lxc-start -n "$name"
  done
  # Their host keys, once sshd answers on every one (keys are generated at first boot).
  local ips=() deadline=$((SECONDS + 180)) ok
  for i in $(seq "$n"); do ips+=("$(address_of "$i")"); done
  while :; do
    ssh-keyscan -T 3 -t ed25519 "${ips[@]}" 2>/dev/null | sort >"$known.tmp" || true
    ok=1
    for ip in "${ips[@]}"; do grep -q "^$ip ssh-ed25519 " "$known.tmp" || ok=0; done
    [ $ok -eq 1 ] && break
    [ $SECONDS -lt $deadline ] || die "sshd did not answer on all of ${ips[*]} within 180 s"
    sleep 2
  done
  mv "$known.tmp" "$known"
  log "$n hosts up: ${ips[0]}..${ips[-1]}"
}

destroy() {
  local c
  for c in $(lxc-ls -1 2>/dev/null | grep -E '^bench-[0-9]+$' || true); do
    lxc-stop -n "$c" -k >/dev/null 2>&1 || true
    lxc-destroy -n "$c" -f >/dev/null 2>&1 || rm -rf "/var/lib/lxc/$c"
  done
  if exists "$BASE"; then
    lxc-stop -n "$BASE" -k >/dev/null 2>&1 || true
    lxc-destroy -n "$BASE" -f >/dev/null 2>&1 || rm -rf "/var/lib/lxc/$BASE"
  fi
  restore_inotify
}

case "${1:-}" in
  create) create "${2:?N}" "${3:?KNOWN_HOSTS}" ;;
  destroy) destroy ;;
  *) echo "usage: $0 create N KNOWN_HOSTS | destroy" >&2; exit 2 ;;
esac
