#!/bin/bash
# The lab's ACME server: Let's Encrypt's test server `pebble` and its mock DNS `pebble-challtestsrv`
# (Debian's `pebble` package) on the control machine, so that certbot on lb01 gets real certificates
# without the internet.
#
#   acme.sh start    install pebble if missing, make its TLS certificate once, start what is not running
#   acme.sh stop     stop both processes
#   acme.sh status   exit 0 when pebble answers on its directory URL
#
# pebble listens on the lab bridge (192.168.56.1:14000, directory /dir) and its management API on
# loopback (127.0.0.1:15000; /roots/0 is the root that signs issued chains). The mock DNS answers every
# name with the site's virtual address (site_vip, held by lb01 or lb02 through keepalived), so HTTP-01
# validation of any domain goes to port 80 of whichever load balancer holds it (HAProxy, which hands
# /.well-known/acme-challenge/ to certbot on lb01). pebble keeps accounts and certificates in memory
# only, and makes a new root at each start: a restart forgets everything it issued.
#
# Everything lives in $STATE_DIR/acme: ca.pem (the CA of pebble's own TLS certificate; the inventory's
# certbot_ca_bundle), server key and certificate, config, logs and pid files.
#
# Exit codes: 2 usage, 10 not root (for the install), 12 install failed, 14 no lab bridge address,
# 18 a server did not start, 17 (`status`) not running.
set -euo pipefail

STATE_DIR=${PROVISION_LAB_STATE:-/var/lib/provision/lab}
DIR=$STATE_DIR/acme
BRIDGE_ADDRESS=192.168.56.1
# The inventory's site_vip: www.foobar.com's address.
SITE_VIP=192.168.56.100
LISTEN=$BRIDGE_ADDRESS:14000
MANAGEMENT=127.0.0.1:15000
DNS=127.0.0.1:8053
DNS_MANAGEMENT=127.0.0.1:8055 # challtestsrv's management API cannot be switched off: loopback only
DIRECTORY_URL=https://$LISTEN/dir

log() { printf '[acme] %s\n' "$*"; }
die() { local code=$1; shift; printf '[acme] error: %s\n' "$*" >&2; exit "$code"; }

# A pid file can outlive its process (a session's processes are ended, the files stay): trust a pid
# only when it runs the expected program (comm is cut to 15 characters) and is not a zombie that
# nobody reaped.
alive() {
  local pid; pid=$(cat "$DIR/$1.pid" 2>/dev/null || true)
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "${1:0:15}" ] &&
    ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

answers() { curl -fsS -o /dev/null --max-time 3 --cacert "$DIR/ca.pem" "$DIRECTORY_URL" 2>/dev/null; }

ensure_pebble_installed() {
  command -v pebble >/dev/null && command -v pebble-challtestsrv >/dev/null && return
  [ "$(id -u)" -eq 0 ] || die 10 "pebble is not installed: run as root to install it"
  command -v apt-get >/dev/null || die 12 "pebble is not installed and there is no apt-get: install Debian's pebble package"
  log "installing pebble"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pebble openssl; } \
    >"$DIR/apt.log" 2>&1 || { tail -n 20 "$DIR/apt.log" >&2; die 12 "apt-get install pebble failed"; }
}

# The package ships no certificates: a CA of our own signs pebble's TLS certificate for the bridge
# address (and loopback, for the management API). Made once; certbot trusts ca.pem.
ensure_certificates() {
  if [ -f "$DIR/ca.pem" ] && [ -f "$DIR/server.key" ] &&
    openssl verify -CAfile "$DIR/ca.pem" "$DIR/server.pem" >/dev/null 2>&1; then
    return
  fi
  log "making the lab ACME CA and pebble's TLS certificate for $BRIDGE_ADDRESS"
  local tmp; tmp=$(mktemp -d "$DIR/.certs.XXXXXX")
  (
    cd "$tmp"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=provision lab ACME CA' \
      -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$BRIDGE_ADDRESS" -keyout server.key -out server.csr
    printf 'subjectAltName=IP:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n' \
      "$BRIDGE_ADDRESS" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile server.ext -out server.pem
    chmod 644 ca.pem server.pem
  ) >"$DIR/openssl.log" 2>&1 || { rm -rf "$tmp"; cat "$DIR/openssl.log" >&2; die 18 "openssl failed"; }
  mv "$tmp"/{ca.key,server.key,server.pem} "$DIR/"
  mv "$tmp/ca.pem" "$DIR/ca.pem" # last: its presence means the set is complete
  rm -rf "$tmp"
}

write_config() {
  cat >"$DIR/pebble.json" <<EOF
{
  "pebble": {
    "listenAddress": "$LISTEN",
    "managementListenAddress": "$MANAGEMENT",
    "certificate": "$DIR/server.pem",
    "privateKey": "$DIR/server.key",
    "httpPort": 80,
    "tlsPort": 443,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false
  }
}
EOF
}

# Runs a program detached from this shell (setsid: it outlives the caller's session and terminal).
# fd 9 is lab.sh's lock: a daemon that inherited it would hold the lock for ever and hang the next
# `lab down`/`lab up`, so it is closed for the child.
spawn() {
  local name=$1; shift
  setsid "$@" >>"$DIR/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$DIR/$name.pid"
}

start_dns() {
  alive pebble-challtestsrv && return
  log "starting pebble-challtestsrv (mock DNS $DNS: every name is the site's virtual address, $SITE_VIP)"
  spawn pebble-challtestsrv pebble-challtestsrv -defaultIPv4 "$SITE_VIP" -defaultIPv6 '' -dns01 "$DNS" \
    -http01 '' -https01 '' -tlsalpn01 '' -management "$DNS_MANAGEMENT"
}

start_pebble() {
  if alive pebble; then
    # A restart loses every account and certificate: only when it stays silent for about 15 s (the
    # machine may just be busy).
    local try
    for try in 1 2 3 4 5; do answers && return; sleep 1; done
    log "pebble runs but does not answer: restarting it"
    stop_one pebble
  fi
  log "starting pebble ($DIRECTORY_URL)"
  # NOSLEEP: validate at once instead of after a random delay; NONCEREJECT=0: pebble would otherwise
  # reject 5% of valid nonces on purpose, a test of clients that the lab does not need.
  spawn pebble env PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    pebble -config "$DIR/pebble.json" -dnsserver "$DNS"
  local i
  for i in $(seq 50); do
    answers && { log "pebble answers on $DIRECTORY_URL"; return; }
    alive pebble || break
    sleep 0.2
  done
  tail -n 20 "$DIR/pebble.log" >&2
  die 18 "pebble did not start (log: $DIR/pebble.log)"
}

stop_one() {
  alive "$1" || { rm -f "$DIR/$1.pid"; return; }
  local pid i; pid=$(cat "$DIR/$1.pid")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 25); do alive "$1" || break; sleep 0.2; done
  alive "$1" && kill -9 "$pid" 2>/dev/null || true
  rm -f "$DIR/$1.pid"
}

cmd_start() {
  mkdir -p "$DIR"
  if alive pebble-challtestsrv && alive pebble && answers; then return; fi
  ensure_pebble_installed
  ip -4 -o addr show | grep -q " inet $BRIDGE_ADDRESS/" ||
    die 14 "no interface has $BRIDGE_ADDRESS (the lab bridge): run \`lab.sh up\` first"
  ensure_certificates
  write_config
  start_dns
  start_pebble
}

cmd_stop() {
  stop_one pebble
  stop_one pebble-challtestsrv
  log "stopped"
}

cmd_status() {
  if alive pebble && alive pebble-challtestsrv && answers; then
    echo "acme: running, $DIRECTORY_URL (CA of its TLS: $DIR/ca.pem)"
  else
    echo "acme: not running (start it with \`vagrant/acme.sh start\`)"
    return 17
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
