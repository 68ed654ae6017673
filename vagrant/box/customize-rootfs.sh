#!/bin/bash
# Runs inside the debootstrapped tree (chroot) to turn it into a vagrant-lxc guest.
# Input: /tmp/vagrant.pub (Vagrant's public insecure key), copied in by build-box.sh.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

# Networking by systemd-networkd: ifupdown's ifup@eth0 fails inside a container during Vagrant's
# hostname step. eth0 gets DHCP from lxc-net; eth1 (lab address) is configured by LXC itself and
# left alone because no .network file matches it.
apt-get purge -y -qq ifupdown isc-dhcp-client isc-dhcp-common >/dev/null 2>&1 || true
mkdir -p /etc/systemd/network
cat > /etc/systemd/network/10-eth0.network <<'NET'
[Match]
Name=eth0

[Network]
DHCP=ipv4
NET
systemctl enable systemd-networkd.service >/dev/null 2>&1
# No systemd-resolved in Debian 12's base: use lxc-net's dnsmasq (the NAT bridge address).
rm -f /etc/resolv.conf
echo 'nameserver 10.0.3.1' > /etc/resolv.conf

# vagrant user: NOPASSWD sudo and Vagrant's public insecure key (config.ssh.insert_key = false).
id vagrant >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --groups sudo vagrant
passwd --lock vagrant >/dev/null
install -d -m 0700 -o vagrant -g vagrant /home/vagrant/.ssh
install -m 0600 -o vagrant -g vagrant /tmp/vagrant.pub /home/vagrant/.ssh/authorized_keys
rm -f /tmp/vagrant.pub
echo 'vagrant ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/vagrant
chmod 0440 /etc/sudoers.d/vagrant
# Sudo must not wait on a reverse lookup of a hostname that no DNS knows.
echo 'Defaults !fqdn' > /etc/sudoers.d/no-fqdn
chmod 0440 /etc/sudoers.d/no-fqdn

# Host keys are per guest: removed here, generated at first boot.
rm -f /etc/ssh/ssh_host_*
mkdir -p /etc/systemd/system/ssh.service.d
cat > /etc/systemd/system/ssh.service.d/host-keys.conf <<'UNIT'
[Service]
# Reset the list: the packaged `sshd -t` would otherwise run first and fail without keys.
ExecStartPre=
ExecStartPre=/usr/bin/ssh-keygen -A
ExecStartPre=/usr/sbin/sshd -t
UNIT
echo 'UseDNS no' > /etc/ssh/sshd_config.d/lab.conf

# Units that cannot work in a container would make `systemctl is-system-running` say "degraded".
for unit in systemd-remount-fs.service sys-kernel-config.mount sys-kernel-debug.mount \
            sys-kernel-tracing.mount systemd-sysctl.service getty-static.service; do
  systemctl mask "$unit" >/dev/null 2>&1 || true
done

# Per-guest identity comes at first boot: empty machine-id, no hostname (Vagrant/LXC set it).
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id /etc/hostname

apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log /var/log/apt/* /root/.bash_history
