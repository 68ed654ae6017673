#!/usr/bin/env bash
# The main job on the built-in lab: install, build, boot the five hosts, provision the site,
# then show what answers. Run as root on Debian 12 (see docs/LAB.md for laptops).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm run build
node bin/provision.js lab up
node bin/provision.js run playbooks/site.yaml -i inventory/vagrant.yaml
# A second run must change nothing.
node bin/provision.js run playbooks/site.yaml -i inventory/vagrant.yaml --json | tail -n 1
node bin/provision.js exec 'hostname; systemctl is-system-running' -i inventory/vagrant.yaml
bash scripts/show-site.sh
