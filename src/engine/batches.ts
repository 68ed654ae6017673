// serial: split a play's hosts into batches (numbers, percentages, or a list of either; the last
// size repeats), as Ansible does.

export function serialBatches(hosts: readonly string[], serial: readonly (number | string)[] | undefined): string[][] {
  if (!serial || serial.length === 0 || hosts.length === 0) return hosts.length > 0 ? [[...hosts]] : [];
  const sizes = serial.map((s) => batchSize(s, hosts.length));
  const batches: string[][] = [];
  let i = 0;
  let n = 0;
  while (i < hosts.length) {
    const size = sizes[Math.min(n, sizes.length - 1)] ?? hosts.length;
    batches.push(hosts.slice(i, i + size));
    i += size;
    n++;
  }
  return batches;
}

function batchSize(spec: number | string, total: number): number {
  if (typeof spec === 'number') return spec <= 0 ? total : Math.floor(spec);
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(spec.trim());
  if (pct) return Math.max(1, Math.floor((Number(pct[1]) / 100) * total));
  const n = Number(spec);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : total;
}
