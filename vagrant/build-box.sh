#!/bin/bash
# Builds the vagrant-lxc box `provision/debian12-lxc` from debootstrap and adds it to Vagrant.
#
# The box is rebuilt only when it is missing or when its recipe (this script and vagrant/box/*) changed:
# the recipe's hash is stored beside the cached box, outside the repository, so a fresh clone reuses it.
# The Debian mirror is read from this machine's apt sources at run time (or PROVISION_DEBIAN_MIRROR).
#
# Usage: vagrant/build-box.sh [--force]      (root; needs debootstrap and vagrant with vagrant-lxc)
set -euo pipefail

BOX_NAME=provision/debian12-lxc
SUITE=bookworm
CACHE_DIR=${PROVISION_BOX_CACHE:-/var/cache/provision/boxes}
BOX_FILE=$CACHE_DIR/debian12-lxc.box
HASH_FILE=$BOX_FILE.recipe-sha256
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PACKAGES=openssh-server,sudo,systemd-sysv,dbus,iproute2,ca-certificates,curl,gnupg,python3,netbase,procps,iputils-ping,less

log() { printf '[build-box] %s\n' "$*"; }
die() { printf '[build-box] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot)"
command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"

recipe_hash() {
  # PACKAGES lives in this script, so hashing the script covers it.
  (cd "$HERE" && sha256sum build-box.sh box/metadata.json box/lxc-config box/customize-rootfs.sh) |
    sha256sum | cut -d' ' -f1
}

# First Debian (non-security) URI from the machine's apt sources, deb822 or one-line format.
debian_mirror() {
  if [ -n "${PROVISION_DEBIAN_MIRROR:-}" ]; then echo "$PROVISION_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {for (i = 2; i <= NF; i++) print $i}' |
    grep -v -- '-security' | grep '/debian/\?$' | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' |
      grep -v -- '-security' | head -n1 || true)
  fi
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d}; set PROVISION_DEBIAN_MIRROR"
  echo "${uri%/}"
}

# Only URIs that apt uses (URIs: fields, deb lines), never ones quoted in comments.
security_mirror() {
  {
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {for (i = 2; i <= NF; i++) print $i}'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" { for (i = 2; i <= NF; i++) print $i }'
  } | grep -E '^[a-z]+://[^ ]*debian-security/?$' | head -n1 | sed 's:/$::' || true
}

vagrant_public_key() {
  local key
  for key in /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub \
             /opt/vagrant/embedded/gems/gems/vagrant-*/keys/vagrant.pub; do
    [ -f "$key" ] && { echo "$key"; return; }
  done
  die "Vagrant's insecure public key (keys/vagrant.pub in the vagrant gem) was not found"
}

box_added() { vagrant box list 2>/dev/null | grep -q "^${BOX_NAME} "; }

want=$(recipe_hash)
have=$(cat "$HASH_FILE" 2>/dev/null || true)
if [ "${1:-}" != "--force" ] && [ -f "$BOX_FILE" ] && [ "$want" = "$have" ]; then
  log "cached box is current ($BOX_FILE)"
else
  mirror=$(debian_mirror)
  log "building $BOX_NAME from $SUITE (recipe ${want:0:12})"
  mkdir -p "$CACHE_DIR"
  work=$(mktemp -d "$CACHE_DIR/build.XXXXXX")
  trap 'umount -R "$work/rootfs/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

  {
    echo "deb $mirror $SUITE main"
    echo "deb $mirror $SUITE-updates main"
    sec=$(security_mirror)
    [ -z "$sec" ] || echo "deb $sec $SUITE-security main"
  } >"$work/rootfs/etc/apt/sources.list"
  cp "$(vagrant_public_key)" "$work/rootfs/tmp/vagrant.pub"
  cp "$HERE/box/customize-rootfs.sh" "$work/rootfs/tmp/customize-rootfs.sh"
  mount -t proc proc "$work/rootfs/proc"
  chroot "$work/rootfs" /bin/bash /tmp/customize-rootfs.sh
  umount "$work/rootfs/proc"
  rm -f "$work/rootfs/tmp/customize-rootfs.sh"

  # Sorted, numeric owners, fixed mtimes of the box members: the same tree gives the same box.
  # vagrant-lxc's template extracts with --strip-components=2: members must be ./rootfs/...
  tar --numeric-owner --sort=name -C "$work" -czf "$work/rootfs.tar.gz" ./rootfs
  cp "$HERE/box/metadata.json" "$HERE/box/lxc-config" "$work/"
  tar --sort=name --mtime=@0 --owner=0 --group=0 -C "$work" -cf "$BOX_FILE.tmp" metadata.json lxc-config rootfs.tar.gz
  mv "$BOX_FILE.tmp" "$BOX_FILE"
  echo "$want" >"$HASH_FILE"
  rm -f "$HASH_FILE.added"
  log "box written: $BOX_FILE ($(du -h "$BOX_FILE" | cut -f1))"
fi

# Vagrant's copy is refreshed whenever the cached box changed since it was last added.
if ! box_added || [ "$(cat "$HASH_FILE.added" 2>/dev/null || true)" != "$want" ]; then
  log "vagrant box add $BOX_NAME"
  vagrant box add --force --name "$BOX_NAME" "$BOX_FILE" >/dev/null
  echo "$want" >"$HASH_FILE.added"
fi
log "box $BOX_NAME ready"
