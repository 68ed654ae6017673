#!/usr/bin/env bash
# Shows www.foobar.com answering through the site's virtual address, as a browser on the lab would see
# it: which load balancer holds the address, the certificate (the same on both), the http→https
# redirect, round robin over the two web servers, and a session that survives the change of backend.
set -euo pipefail
VIP=192.168.56.100
DOMAIN=www.foobar.com
ssh_cfg=/var/lib/provision/lab/ssh_config
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ca=$tmp/ca.pem
# The lab's ACME server (pebble) publishes its root on its loopback management port.
curl -sSk https://127.0.0.1:15000/roots/0 > "$ca"

echo "== the virtual address $VIP"
for lb in lb01 lb02; do
  if ssh -F "$ssh_cfg" "$lb" ip -4 -o addr show | grep -q " $VIP/"; then echo "$lb holds it"; else echo "$lb stands by"; fi
done
echo "== certificate served for $DOMAIN (SHA-256 fingerprint per load balancer)"
for addr in $VIP 192.168.56.10 192.168.56.13; do
  printf '%-15s ' "$addr"
  openssl s_client -connect "$addr:443" -servername "$DOMAIN" </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | cut -d= -f2
done
openssl s_client -connect "$VIP:443" -servername "$DOMAIN" </dev/null 2>/dev/null | openssl x509 -noout -issuer -ext subjectAltName -enddate
echo "== http://$DOMAIN/ redirects"
curl -sS -o /dev/null -w '%{http_code} -> %{redirect_url}\n' --resolve "$DOMAIN:80:$VIP" "http://$DOMAIN/"
echo "== https://$DOMAIN/health, four times (round robin)"
for _ in 1 2 3 4; do
  curl -sS --resolve "$DOMAIN:443:$VIP" --cacert "$ca" "https://$DOMAIN/health"
done
echo "== one session across both web servers (https://$DOMAIN/session with a cookie jar)"
for _ in 1 2 3 4; do
  curl -sS --resolve "$DOMAIN:443:$VIP" --cacert "$ca" -b "$tmp/jar" -c "$tmp/jar" "https://$DOMAIN/session"
done
