#!/bin/bash
# System packages the lab needs on the CI machine (Debian, root). Idempotent: installs only what is
# missing, so a machine that already has them spends no time here. Called by .ci/run before the tests;
# `vagrant/lab.sh up` would install the same on its own, this just makes CI's set-up explicit.
set -euo pipefail

# openssh-server and sudo: the transport tests start their own sshd on loopback (never the system one).
# pebble and openssl: the lab's ACME server (vagrant/acme.sh) and the CA of its TLS certificate.
# ansible-core: the differential test (test/differential) runs the same tasks with ansible-playbook.
# prometheus and prometheus-alertmanager: promtool and amtool for the unit tests of the alert rules
# and of Alertmanager's routing (test/unit/monitoring); their services are never started here
# (policy-rc.d below).
# chromium: the HTML report's integration test opens a report in it, headless (test/integration/report.test.ts).
PACKAGES=(vagrant vagrant-lxc lxc debootstrap dnsmasq-base iptables bridge-utils openssh-client openssh-server sudo pebble openssl prometheus prometheus-alertmanager chromium ansible-core)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "[lab-prereqs] all present: ${PACKAGES[*]}"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "[lab-prereqs] need root to install: ${missing[*]}" >&2; exit 1; }
echo "[lab-prereqs] installing: ${missing[*]}"
apt-get update -qq
# Packages must not start their services on the control machine (sshd, lxc-net...): the lab
# starts what it needs itself. policy-rc.d answering 101 is Debian's documented way to say so.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && own_policy=1
fi
trap '[ "$own_policy" = 1 ] && rm -f "$policy"' EXIT
# --no-install-recommends: vagrant would otherwise pull in libvirt, qemu and a kernel.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
