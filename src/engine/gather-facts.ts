// Fact gathering: one read-only probe, one round trip, parsed into ansible_* variables. It runs as an
// ordinary step (like Ansible's `setup` task): a module whose plan reads the probe and sets the facts,
// through the same executor, result normaliser and recorder as every task.

import { dirname } from 'node:path';
import { z } from 'zod';
import { syntheticTask } from '../core/playbook/synthetic-task.js';
import type { Play, Task } from '../core/playbook/types.js';
import type { Probe } from '../facts/types.js';
import { defineModule } from '../modules/types.js';

const SCRIPT = String.raw`
. /etc/os-release 2>/dev/null
printf 'hostname=%s\n' "$(hostname -s 2>/dev/null || hostname)"
printf 'fqdn=%s\n' "$(hostname -f 2>/dev/null || hostname)"
printf 'distribution=%s\n' "${"$"}{NAME:-unknown}"
printf 'distribution_id=%s\n' "${"$"}{ID:-unknown}"
printf 'distribution_version=%s\n' "${"$"}{VERSION_ID:-}"
printf 'distribution_release=%s\n' "${"$"}{VERSION_CODENAME:-}"
printf 'architecture=%s\n' "$(uname -m)"
printf 'kernel=%s\n' "$(uname -r)"
printf 'processor_count=%s\n' "$(nproc 2>/dev/null || echo 1)"
printf 'memtotal_kb=%s\n' "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
printf 'user_id=%s\n' "$(id -un)"
iface=$(ip -4 route show default 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n1)
printf 'default_interface=%s\n' "$iface"
printf 'default_address=%s\n' "$( [ -n "$iface" ] && ip -4 -o addr show dev "$iface" scope global 2>/dev/null | awk '{split($4,a,"/"); print a[1]; exit}')"
printf 'all_ipv4=%s\n' "$(ip -4 -o addr show scope global 2>/dev/null | awk '{split($4,a,"/"); printf "%s ", a[1]}')"
printf 'ipv4_by_interface=%s\n' "$(ip -4 -o addr show scope global 2>/dev/null | awk '{split($4,a,"/"); printf "%s=%s ", $2, a[1]}')"
printf 'service_mgr=%s\n' "$(cat /proc/1/comm 2>/dev/null)"
`;

export interface GatheredFacts {
  [key: string]: unknown;
}

export const gatherFactsProbe: Probe<GatheredFacts> = {
  key: 'gather_facts',
  command: SCRIPT,
  parse(result) {
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
    const facts: GatheredFacts = {
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
    return facts;
  },
};

/** Facts as Ansible exposes them: `ansible_facts.x` and the `ansible_x` top-level names. */
export function factsAsVariables(facts: GatheredFacts): Record<string, unknown> {
  const vars: Record<string, unknown> = { ansible_facts: facts };
  for (const [k, v] of Object.entries(facts)) vars[`ansible_${k}`] = v;
  return vars;
}

/** The engine's own module behind fact gathering; not a playbook module (tasks cannot name it). */
export const factGatheringModule = defineModule({
  name: 'gather_facts',
  args: z.object({}).strict(),
  async plan(_args, ctx) {
    return { actions: [], facts: factsAsVariables(await ctx.facts.get(gatherFactsProbe)) };
  },
});

/** The step that gathers a play's facts: as its login user (no become), whatever the play says. */
export function factGatheringTask(play: Play): Task {
  return syntheticTask({
    name: 'Gathering Facts',
    module: factGatheringModule.name,
    args: {},
    become: false,
    baseDir: dirname(play.location.file),
    location: { file: play.location.file },
  });
}
