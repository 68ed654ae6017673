// Argument coercions shared by the module schemas, so that YAML written for Ansible validates as is:
// yes/no/true/false/on/off/1/0 booleans, numeric strings, comma-separated lists, and file modes.

import { z } from 'zod';
import { yesNo } from '../core/yes-no.js';

/** Ansible's boolean: true/false, yes/no, on/off, 1/0 (strings compared case-insensitively); see core/yes-no.ts. */
export const bool = yesNo;

/** An integer, also given as a numeric string ("300"). */
export const int = (schema: z.ZodNumber = z.number().int()) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v), schema);

/** A string, also given as a YAML number or boolean (sysctl values, versions). */
export const scalarString = () =>
  z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

/** A list of strings, also given as one comma-separated string (Ansible's `list` type). */
export const stringList = () =>
  z.union([z.string(), z.array(scalarString())]).transform((v) =>
    (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter((s) => s !== ''),
  );

const OCTAL = /^0?[0-7]{3,4}$/;
const SYMBOLIC_CLAUSE = /^[ugoa]*([-+=][rwxXst]*)+$/;

export function isSymbolicMode(mode: string): boolean {
  return mode.split(',').every((c) => SYMBOLIC_CLAUSE.test(c));
}

/**
 * A file mode: '0644', '644', 'u=rw,g=r,o=r', or a YAML number. The yaml package (YAML 1.2) reads
 * `mode: 0644` as the decimal number 644, so a number's decimal digits are taken as octal digits
 * (Ansible's YAML 1.1 would give 420; write `0o644`-free YAML or quote the mode).
 */
export const modeArg = () =>
  z
    .union([z.string(), z.number().int().nonnegative()])
    .transform((v) => String(v).trim())
    .refine((v) => OCTAL.test(v) || isSymbolicMode(v), {
      message: "expected a file mode such as '0644', '644' or 'u=rw,g=r,o=r'",
    });

/**
 * Resolve a mode argument to four octal digits, given the current mode (for symbolic modes such as
 * u+x) and whether the target is a directory (for X).
 */
export function resolveMode(spec: string, current: string | undefined, isDirectory: boolean): string {
  if (OCTAL.test(spec)) return spec.padStart(4, '0').slice(-4);
  let mode = current ? parseInt(current, 8) : 0;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)(.*)$/.exec(clause);
    const who = m?.[1] || 'a';
    const ops = m?.[2] ?? '';
    const users = who.includes('a') ? 'ugo' : who;
    for (const op of ops.match(/[-+=][rwxXst]*/g) ?? []) {
      const sign = op[0];
      const perms = op.slice(1);
      let bits = 0;
      for (const u of users) {
        const shift = u === 'u' ? 6 : u === 'g' ? 3 : 0;
        let triple = 0;
        if (perms.includes('r')) triple |= 4;
        if (perms.includes('w')) triple |= 2;
        if (perms.includes('x') || (perms.includes('X') && (isDirectory || (mode & 0o111) !== 0))) triple |= 1;
        bits |= triple << shift;
        if (perms.includes('s') && u === 'u') bits |= 0o4000;
        if (perms.includes('s') && u === 'g') bits |= 0o2000;
        if (perms.includes('t') && u === 'o') bits |= 0o1000;
      }
      if (sign === '+') mode |= bits;
      else if (sign === '-') mode &= ~bits;
      else {
        let clear = 0;
        for (const u of users) clear |= (u === 'u' ? 0o4700 : u === 'g' ? 0o2070 : 0o1007);
        mode = (mode & ~clear) | bits;
      }
    }
  }
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** `validate` must name the temporary file with %s (as Ansible requires). */
export const validateArg = () =>
  z.string().refine((v) => v.includes('%s'), { message: "validate must contain %s (the file to check), e.g. 'nginx -t -c %s'" });

/** Ownership arguments shared by file-writing modules. */
export const attributeArgs = {
  mode: modeArg().optional(),
  owner: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
};
