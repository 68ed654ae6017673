// The host's own facts (Ansible's `setup` subset): one bash script that reads /proc and /etc with
// builtins and starts only what has no file to read: `hostname -f` (a resolver lookup) and one
// `ip -4 -o addr` (IPv4 addresses have no /proc file). On a busy host every process start costs tens of
// milliseconds, so each value the old script took from a command (hostname -s, uname, nproc, awk, id,
// ip route, sed, head, cat) now comes from the file that command reads; the command stays as the
// fallback when the file is missing. A redirection inside `$( )` makes bash fork twice (a subshell,
// then the command): it goes outside, `{ v=$(cmd); } 2>/dev/null`, and the subshell execs the command. Output: `key=value` lines, parsed by parseHostFacts.

import type { ExecResult } from '../transport/types.js';
import type { Probe } from './types.js';

const SCRIPT = String.raw`
. /etc/os-release 2>/dev/null
h=; read -r h 2>/dev/null </proc/sys/kernel/hostname; [ -n "$h" ] || h=$(hostname)
printf 'hostname=%s\n' "${"$"}{h%%.*}"
{ f=$(hostname -f); } 2>/dev/null || f=$(hostname)
printf 'fqdn=%s\n' "$f"
printf 'distribution=%s\n' "${"$"}{NAME:-unknown}"
printf 'distribution_id=%s\n' "${"$"}{ID:-unknown}"
printf 'distribution_version=%s\n' "${"$"}{VERSION_ID:-}"
printf 'distribution_release=%s\n' "${"$"}{VERSION_CODENAME:-}"
a=; read -r a 2>/dev/null </proc/sys/kernel/arch; [ -n "$a" ] || a=$(uname -m)
printf 'architecture=%s\n' "$a"
k=; read -r k 2>/dev/null </proc/sys/kernel/osrelease; [ -n "$k" ] || k=$(uname -r)
printf 'kernel=%s\n' "$k"
# nproc counts the CPUs this process may run on (its affinity), unless OMP_* variables cap it.
n=0
if [ -z "${"$"}{OMP_NUM_THREADS}${"$"}{OMP_THREAD_LIMIT}" ]; then
  # "Cpus_allowed_list:\t0-1": the colon and the tab next to it are one separator.
  while IFS=$':\t ' read -r key list; do
    [ "$key" = Cpus_allowed_list ] || continue
    IFS=, read -ra ranges <<<"$list"
    for r in "${"$"}{ranges[@]}"; do
      if [[ $r =~ ^([0-9]+)-([0-9]+)$ ]]; then n=$((n + BASH_REMATCH[2] - BASH_REMATCH[1] + 1))
      elif [[ $r =~ ^[0-9]+$ ]]; then n=$((n + 1)); fi
    done
    break
  done 2>/dev/null </proc/self/status
fi
[ "$n" -gt 0 ] || n=$(nproc 2>/dev/null || echo 1)
printf 'processor_count=%s\n' "$n"
m=; while read -r key value _; do [ "$key" = MemTotal: ] && { m=$value; break; }; done 2>/dev/null </proc/meminfo
printf 'memtotal_kb=%s\n' "$m"
# id -un: the first passwd entry with our uid (NSS reads files first); id itself when none.
u=; while IFS=: read -r name _ uid _; do [ "$uid" = "$EUID" ] && { u=$name; break; }; done 2>/dev/null </etc/passwd
[ -n "$u" ] || u=$(id -un)
printf 'user_id=%s\n' "$u"
# The main table's first IPv4 default route through a device, as ip route lists them (unreachable
# and blackhole defaults have no device: '*').
iface=
if [ -r /proc/net/route ]; then
  while read -r dev dest _ _ _ _ _ mask _; do
    [ "$dest" = 00000000 ] && [ "$mask" = 00000000 ] && [ "$dev" != '*' ] && { iface=$dev; break; }
  done </proc/net/route
else
  iface=$(ip -4 route show default 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n1)
fi
printf 'default_interface=%s\n' "$iface"
{ addrs=$(ip -4 -o addr show scope global); } 2>/dev/null
default= all= by=
while read -r _ dev _ cidr _; do
  [ -n "$cidr" ] || continue
  all+="${"$"}{cidr%%/*} "
  by+="$dev=${"$"}{cidr%%/*} "
  [ -z "$default" ] && [ -n "$iface" ] && [ "$dev" = "$iface" ] && default=${"$"}{cidr%%/*}
done <<<"$addrs"
printf 'default_address=%s\n' "$default"
printf 'all_ipv4=%s\n' "$all"
printf 'ipv4_by_interface=%s\n' "$by"
c=; read -r c 2>/dev/null </proc/1/comm
printf 'service_mgr=%s\n' "$c"
`;

export interface HostFacts {
  [key: string]: unknown;
}

/** The facts of the host the probe runs on (read-only; no root needed). */
export const hostFactsProbe: Probe<HostFacts> = {
  key: 'gather_facts',
  command: SCRIPT,
  parse: parseHostFacts,
};

export function parseHostFacts(result: ExecResult): HostFacts {
  const raw = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) raw.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const get = (k: string): string => raw.get(k) ?? '';
  const interfaces: Record<string, { address: string }> = {};
  for (const pair of get('ipv4_by_interface').split(' ').filter(Boolean)) {
    const [iface, address] = pair.split('=');
    if (iface && address && !interfaces[iface]) interfaces[iface] = { address };
  }
  return {
    hostname: get('hostname'),
    fqdn: get('fqdn'),
    distribution: get('distribution_id') === 'debian' ? 'Debian' : get('distribution'),
    distribution_version: get('distribution_version'),
    distribution_major_version: get('distribution_version').split('.')[0] ?? '',
    distribution_release: get('distribution_release'),
    os_family: ['debian', 'ubuntu'].includes(get('distribution_id')) ? 'Debian' : get('distribution'),
    architecture: get('architecture'),
    kernel: get('kernel'),
    processor_count: Number(get('processor_count')) || 1,
    memtotal_mb: Math.round(Number(get('memtotal_kb')) / 1024),
    user_id: get('user_id'),
    default_ipv4: { interface: get('default_interface'), address: get('default_address') },
    all_ipv4_addresses: get('all_ipv4').split(' ').filter(Boolean),
    interfaces_ipv4: interfaces,
    service_mgr: get('service_mgr') === 'systemd' ? 'systemd' : get('service_mgr'),
  };
}
