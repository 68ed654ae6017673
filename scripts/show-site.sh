#!/usr/bin/env bash
# Shows www.foobar.com answering through the lab's load balancer, as a browser on the lab would see it:
# the certificate, the http→https redirect, and round robin over the two web servers.
set -euo pipefail
LB=192.168.56.10
DOMAIN=www.foobar.com
ca=$(mktemp)
trap 'rm -f "$ca"' EXIT
# The lab's ACME server (pebble) publishes its root on its loopback management port.
curl -sSk https://127.0.0.1:15000/roots/0 > "$ca"

echo "== certificate served by $LB for $DOMAIN"
openssl s_client -connect "$LB:443" -servername "$DOMAIN" </dev/null 2>/dev/null | openssl x509 -noout -issuer -ext subjectAltName -enddate
echo "== http://$DOMAIN/ redirects"
curl -sS -o /dev/null -w '%{http_code} -> %{redirect_url}\n' -H "Host: $DOMAIN" "http://$LB/"
echo "== https://$DOMAIN/health, four times (round robin)"
for _ in 1 2 3 4; do
  curl -sS --resolve "$DOMAIN:443:$LB" --cacert "$ca" "https://$DOMAIN/health"
done
