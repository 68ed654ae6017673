#!/bin/bash
# The lab: five Debian 12 hosts (lb01, lb02, web01, web02, mon01) on 192.168.56.0/24, through vagrant/Vagrantfile.
#
#   lab.sh up        install missing tools, bridges + NAT, box, `vagrant up`, SSH settings for the inventory
#   lab.sh down      remove the guests, bridges and NAT rules (the cached box and the tools stay)
#   lab.sh status    each host's state and whether it answers over SSH, and the ACME server (exit 0 only when all do)
#   lab.sh vagrant ARGS...   run vagrant with the lab's environment (e.g. `lab.sh vagrant ssh web01`)
#
# Provider: lxc when root on Linux (CI and this kind of machine), else virtualbox or libvirt if present;
# PROVISION_LAB_PROVIDER overrides. Vagrant's state lives outside the clone (VAGRANT_DOTFILE_PATH) so
# that any clone, and `down`, sees the same guests; leftovers (stopped or orphaned containers with the
# lab's names, existing bridges, stale NAT) are reused or replaced, never an "already exists" failure.
#
# Exit codes (mapped to messages by src/lab/): 2 usage, 10 not root, 11 no provider, 12 package install,
# 13 box build, 14 network set-up, 15 vagrant up, 16 guests do not answer over SSH, 17 lab not running,
# 18 the lab's ACME server (vagrant/acme.sh: pebble, for certbot on lb01) did not start.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NAMES=(lb01 web01 web02 lb02 mon01)
declare -A ADDR=([lb01]=192.168.56.10 [web01]=192.168.56.11 [web02]=192.168.56.12 [lb02]=192.168.56.13 [mon01]=192.168.56.14)
LAB_BRIDGE=${PROVISION_LAB_BRIDGE:-provlab0}
LAB_BRIDGE_CIDR=192.168.56.1/24
NAT_BRIDGE=lxcbr0
LXC_NET=/usr/libexec/lxc/lxc-net
STATE_DIR=${PROVISION_LAB_STATE:-/var/lib/provision/lab}
KEY=$STATE_DIR/id_vagrant
KNOWN_HOSTS=$STATE_DIR/known_hosts
BOX_HASH_FILE=${PROVISION_BOX_CACHE:-/var/cache/provision/boxes}/debian12-lxc.box.recipe-sha256
APT_PACKAGES=(vagrant vagrant-lxc lxc debootstrap dnsmasq-base iptables bridge-utils openssh-client)

export VAGRANT_CWD=$HERE
export VAGRANT_DOTFILE_PATH=$STATE_DIR/vagrant
# Vagrant must not phone home (update checks): traffic stays on the machine and the lab.
export VAGRANT_CHECKPOINT_DISABLE=1 VAGRANT_BOX_UPDATE_CHECK_DISABLE=1

log() { printf '[lab] %s\n' "$*"; }
die() { local code=$1; shift; printf '[lab] error: %s\n' "$*" >&2; exit "$code"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

ssh_opts() {
  printf '%s\n' -i "$KEY" -o IdentitiesOnly=yes -o UserKnownHostsFile="$KNOWN_HOSTS" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR
}
lab_ssh() { local ip=$1; shift; mapfile -t o < <(ssh_opts); ssh "${o[@]}" "vagrant@$ip" "$@"; }

# --- provider ---------------------------------------------------------------------------------------

choose_provider() {
  case "${PROVISION_LAB_PROVIDER:-}" in
    lxc | virtualbox | libvirt) echo "$PROVISION_LAB_PROVIDER"; return ;;
    '') ;;
    *) die 11 "unknown provider '$PROVISION_LAB_PROVIDER' (lxc, virtualbox or libvirt)" ;;
  esac
  if [ -f "$STATE_DIR/provider" ]; then cat "$STATE_DIR/provider"; return; fi
  if [ "$(uname -s)" = Linux ] && [ "$(id -u)" -eq 0 ]; then echo lxc; return; fi
  if command -v VBoxManage >/dev/null; then echo virtualbox; return; fi
  if command -v virsh >/dev/null && command -v vagrant >/dev/null &&
    vagrant plugin list 2>/dev/null | grep -q vagrant-libvirt; then echo libvirt; return; fi
  if [ "$(uname -s)" = Linux ]; then
    die 10 "the lxc lab needs root: run \`sudo provision lab up\` (or install VirtualBox, or libvirt with vagrant-libvirt)"
  fi
  die 11 "no Vagrant provider found: install VirtualBox (or libvirt with vagrant-libvirt) and Vagrant"
}

ensure_state_dir() {
  mkdir -p "$STATE_DIR" 2>/dev/null && [ -w "$STATE_DIR" ] && return
  # Non-root laptops: one sudo to own the fixed path the inventory names.
  if command -v sudo >/dev/null && sudo install -d -o "$(id -u)" -g "$(id -g)" "$STATE_DIR"; then return; fi
  die 10 "$STATE_DIR is not writable: run \`sudo install -d -o \$USER $STATE_DIR\`"
}

# --- control machine tools (lxc only: Debian's packages) --------------------------------------------

ensure_tools() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  command -v apt-get >/dev/null || die 12 "missing ${missing[*]} and no apt-get: install them by hand"
  log "installing ${missing[*]}"
  local t; t=$(now)
  # --no-install-recommends: vagrant recommends libvirt, qemu and a kernel, none of which the lab needs.
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$STATE_DIR/apt.log" 2>&1 || { tail -n 20 "$STATE_DIR/apt.log" >&2; die 12 "apt-get install ${missing[*]} failed"; }
  log "tools installed in $(since "$t") s"
}

# --- bridges and NAT (lxc only) -----------------------------------------------------------------------

pid_alive_as() { [ -n "$1" ] && [ -r "/proc/$1/comm" ] && [ "$(cat "/proc/$1/comm")" = "$2" ]; }

nat_bridge_healthy() {
  local pid; pid=$(cat /run/lxc/dnsmasq.pid 2>/dev/null || true)
  [ -f /run/lxc/network_up ] && pid_alive_as "$pid" dnsmasq &&
    ip -4 addr show dev "$NAT_BRIDGE" 2>/dev/null | grep -q 'inet 10\.0\.3\.1/'
}

stop_nat_bridge() {
  # A dnsmasq pid file can outlive its process (sessions end, their processes are killed): never let
  # lxc-net `kill -9` a pid that now belongs to something else.
  local pid; pid=$(cat /run/lxc/dnsmasq.pid 2>/dev/null || true)
  pid_alive_as "$pid" dnsmasq || rm -f /run/lxc/dnsmasq.pid
  if [ -d "/sys/class/net/$NAT_BRIDGE" ] || [ -f /run/lxc/network_up ]; then
    mkdir -p /run/lxc && touch /run/lxc/network_up # lets lxc-net's stop clean up whatever is left
    "$LXC_NET" stop >/dev/null 2>&1 || true
  fi
  rm -f /run/lxc/network_up
}

ensure_nat_bridge() {
  nat_bridge_healthy && return
  log "starting lxc-net (bridge $NAT_BRIDGE, DHCP, DNS and NAT for package downloads)"
  stop_nat_bridge
  # PID 1 is not systemd on this kind of machine: lxc-net is started by hand.
  # 9>&-: lxc-net's dnsmasq daemon must not inherit (and hold) this script's lock.
  "$LXC_NET" start >"$STATE_DIR/lxc-net.log" 2>&1 9>&- || { cat "$STATE_DIR/lxc-net.log" >&2; die 14 "lxc-net start failed"; }
  nat_bridge_healthy ||
    die 14 "lxc-net started but its dnsmasq is not running on $NAT_BRIDGE (is USE_LXC_BRIDGE=\"true\" in /etc/default/lxc-net?)"
}

# Guest-to-guest traffic crosses the lab bridge; if bridged frames go through iptables (br_netfilter)
# a FORWARD policy of DROP would cut it, so it is accepted explicitly (one rule, removed by down).
FORWARD_RULE=(FORWARD -i "$LAB_BRIDGE" -o "$LAB_BRIDGE" -m comment --comment provision-lab -j ACCEPT)

ensure_lab_bridge() {
  local other
  other=$(ip -4 -o addr show | awk -v b="$LAB_BRIDGE" '$2 != b && $4 ~ /^192\.168\.56\./ { print $2 }' | head -n1)
  [ -z "$other" ] || die 14 "192.168.56.0/24 is already used by interface $other: the lab needs that subnet"
  ip link show "$LAB_BRIDGE" >/dev/null 2>&1 || ip link add "$LAB_BRIDGE" type bridge
  ip addr replace "$LAB_BRIDGE_CIDR" dev "$LAB_BRIDGE"
  ip link set "$LAB_BRIDGE" up
  iptables -w -C "${FORWARD_RULE[@]}" 2>/dev/null || iptables -w -I "${FORWARD_RULE[@]}" 2>/dev/null || true
}

remove_lab_bridge() {
  while iptables -w -D "${FORWARD_RULE[@]}" 2>/dev/null; do :; done
  ip link del "$LAB_BRIDGE" 2>/dev/null || true
}

# --- guests (lxc) ---------------------------------------------------------------------------------------

container_exists() { [ -f "/var/lib/lxc/$1/config" ] || lxc-info -n "$1" >/dev/null 2>&1; }
container_state() { lxc-info -n "$1" -s -H 2>/dev/null || echo ABSENT; }
vagrant_id() { cat "$VAGRANT_DOTFILE_PATH/machines/$1/lxc/id" 2>/dev/null || true; }

remove_container() {
  lxc-stop -n "$1" -k >/dev/null 2>&1 || true
  lxc-destroy -n "$1" -f >/dev/null 2>&1 || true
  rm -rf "/var/lib/lxc/$1"
}

remove_guests_lxc() {
  local n
  [ ! -d "$VAGRANT_DOTFILE_PATH/machines" ] || vagrant destroy -f >"$STATE_DIR/vagrant-destroy.log" 2>&1 || true
  for n in "${NAMES[@]}"; do container_exists "$n" && remove_container "$n"; done
  rm -rf "$VAGRANT_DOTFILE_PATH/machines" "$STATE_DIR/guests.recipe"
}

# Make what exists match what Vagrant's state (outside the clone) knows, before `vagrant up`.
converge_guests_lxc() {
  local n want have
  want=$(cat "$BOX_HASH_FILE" 2>/dev/null || true)
  have=$(cat "$STATE_DIR/guests.recipe" 2>/dev/null || true)
  if [ "$want" != "$have" ] && { [ -d "$VAGRANT_DOTFILE_PATH/machines" ] || any_container; }; then
    log "the box changed since the guests were made: replacing them"
    remove_guests_lxc
  fi
  for n in "${NAMES[@]}"; do
    if container_exists "$n" && [ "$(vagrant_id "$n")" != "$n" ]; then
      log "replacing container $n left by another Vagrant state"
      remove_container "$n"
    fi
  done
}

any_container() { local n; for n in "${NAMES[@]}"; do container_exists "$n" && return 0; done; return 1; }

all_running_lxc() {
  local n
  for n in "${NAMES[@]}"; do
    [ "$(vagrant_id "$n")" = "$n" ] && [ "$(container_state "$n")" = RUNNING ] || return 1
  done
}

# --- SSH settings for the inventory ------------------------------------------------------------------

vagrant_private_key() {
  local k
  for k in "${VAGRANT_HOME:-$HOME/.vagrant.d}/insecure_private_key" \
           /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant \
           /opt/vagrant/embedded/gems/gems/vagrant-*/keys/vagrant; do
    [ -f "$k" ] && { echo "$k"; return; }
  done
  die 16 "Vagrant's insecure private key was not found (keys/vagrant in the vagrant gem)"
}

write_ssh_settings() {
  local src; src=$(vagrant_private_key)
  cmp -s "$src" "$KEY" || install -m 0600 "$src" "$KEY"
  # Guests are re-created by down/up, so their host keys change: scan them again on every up.
  local deadline=$((SECONDS + 90)) ips=() n tmp="$KNOWN_HOSTS.tmp"
  for n in "${NAMES[@]}"; do ips+=("${ADDR[$n]}"); done
  while :; do
    ssh-keyscan -T 3 -t ed25519,ecdsa,rsa "${ips[@]}" 2>/dev/null | sort >"$tmp" || true
    local ok=1
    for n in "${NAMES[@]}"; do grep -q "^${ADDR[$n]} ssh-ed25519 " "$tmp" || ok=0; done
    [ $ok -eq 1 ] && break
    [ $SECONDS -lt $deadline ] || die 16 "sshd did not answer on all of ${ips[*]} within 90 s"
    sleep 1
  done
  mv "$tmp" "$KNOWN_HOSTS"
  {
    echo "# Written by vagrant/lab.sh: ssh -F $STATE_DIR/ssh_config web01"
    for n in "${NAMES[@]}"; do
      printf 'Host %s %s\n  HostName %s\n  User vagrant\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n' \
        "$n" "${ADDR[$n]}" "${ADDR[$n]}" "$KEY" "$KNOWN_HOSTS"
    done
  } >"$STATE_DIR/ssh_config"
}

# systemd reaches "running" a little after sshd answers; `--wait` blocks until boot has finished.
wait_systemd_running() {
  local n state
  for n in "${NAMES[@]}"; do
    state=$(lab_ssh "${ADDR[$n]}" timeout 90 systemctl is-system-running --wait 2>/dev/null || true)
    if [ "$state" != running ]; then
      lab_ssh "${ADDR[$n]}" systemctl --failed --no-legend 2>/dev/null >&2 || true
      die 16 "$n: systemd is '${state:-unreachable}' instead of 'running'"
    fi
  done
}

# --- subcommands ---------------------------------------------------------------------------------------

lock() {
  # Several test runs or engineers may call up/down at once: one at a time.
  exec 9>"$STATE_DIR/lock"
  flock -w 1200 9 || die 1 "another lab.sh holds $STATE_DIR/lock"
}

# What up and down both need first: root for lxc, the state directory, and the lock.
prepare() {
  [ "$1" != lxc ] || [ "$(id -u)" -eq 0 ] || die 10 "the lxc lab needs root: run \`sudo provision lab $2\`"
  ensure_state_dir
  lock
}

cmd_up() {
  local t0; t0=$(now)
  local provider; provider=$(choose_provider)
  prepare "$provider" up
  if [ "$provider" = lxc ]; then
    [ "$(uname -s)" = Linux ] || die 11 "the lxc provider needs Linux"
    export VAGRANT_HOME=${VAGRANT_HOME:-/var/lib/provision/vagrant.d}
    ensure_tools
    ensure_nat_bridge
    ensure_lab_bridge
    bash "$HERE/build-box.sh" || die 13 "building the box failed (see above)"
    converge_guests_lxc
    if all_running_lxc; then
      log "guests already running"
    else
      local t; t=$(now)
      log "vagrant up --provider=lxc"
      vagrant up --provider=lxc || die 15 "vagrant up failed (see above); \`lab.sh down\` then \`lab.sh up\` starts clean"
      cp "$BOX_HASH_FILE" "$STATE_DIR/guests.recipe" 2>/dev/null || true
      log "vagrant up took $(since "$t") s"
    fi
  else
    command -v vagrant >/dev/null || die 11 "vagrant is not installed: install Vagrant, then run \`provision lab up\` again"
    log "vagrant up --provider=$provider"
    vagrant up --provider="$provider" || die 15 "vagrant up --provider=$provider failed (see above)"
  fi
  echo "$provider" >"$STATE_DIR/provider"
  write_ssh_settings
  wait_systemd_running
  # The ACME server needs Debian's pebble on this machine: required with lxc, best effort on laptops.
  if ! bash "$HERE/acme.sh" start; then
    [ "$provider" != lxc ] || die 18 "the lab's ACME server did not start (see above)"
    log "warning: no ACME server (vagrant/acme.sh): the certbot role cannot get a certificate"
  fi
  log "lab up ($provider) in $(since "$t0") s: $(for n in "${NAMES[@]}"; do printf '%s %s ' "$n" "${ADDR[$n]}"; done)"
  log "inventory: inventory/vagrant.yaml (key $KEY, known hosts $KNOWN_HOSTS)"
}

cmd_down() {
  local t0; t0=$(now)
  local provider; provider=$(choose_provider)
  prepare "$provider" down
  bash "$HERE/acme.sh" stop
  if [ "$provider" = lxc ]; then
    export VAGRANT_HOME=${VAGRANT_HOME:-/var/lib/provision/vagrant.d}
    remove_guests_lxc
    remove_lab_bridge
    stop_nat_bridge
  else
    vagrant destroy -f || true
  fi
  rm -f "$KNOWN_HOSTS" "$STATE_DIR/ssh_config" "$STATE_DIR/provider"
  log "lab down in $(since "$t0") s"
}

cmd_status() {
  local provider n state answer all=0
  provider=$(cat "$STATE_DIR/provider" 2>/dev/null || echo none)
  printf '%-6s %-14s %-10s %s\n' HOST ADDRESS GUEST SSH
  for n in "${NAMES[@]}"; do
    if [ "$provider" = lxc ] || { [ "$provider" = none ] && command -v lxc-info >/dev/null; }; then
      state=$(container_state "$n")
    else
      state=$provider
    fi
    answer=unreachable
    if [ -f "$KNOWN_HOSTS" ] && [ -f "$KEY" ]; then
      answer=$(lab_ssh "${ADDR[$n]}" systemctl is-system-running 2>/dev/null || true)
      answer=${answer:-unreachable}
    fi
    [ "$answer" = running ] || all=17
    printf '%-6s %-14s %-10s %s\n' "$n" "${ADDR[$n]}" "$state" "$answer"
  done
  bash "$HERE/acme.sh" status || all=17
  printf 'provider: %s; state: %s\n' "$provider" "$STATE_DIR"
  return $all
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  vagrant)
    shift
    [ "$(cat "$STATE_DIR/provider" 2>/dev/null || true)" != lxc ] || export VAGRANT_HOME=${VAGRANT_HOME:-/var/lib/provision/vagrant.d}
    exec vagrant "$@"
    ;;
  *) echo "usage: $0 up|down|status|vagrant ARGS..." >&2; exit 2 ;;
esac
