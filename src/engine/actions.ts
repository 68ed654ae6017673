// Executes a plan's actions on a host. `put` is atomic: temp file beside the target, mode and owner
// set, validated, then renamed over the target, all in one round trip, so a failing host never keeps
// a half-written or invalid config.

import { posix } from 'node:path';
import { quote } from '../core/shell.js';
import type { Action, ActionOutput, PutAction } from '../modules/types.js';
import type { Become, RoundTripTally, Transport } from '../transport/types.js';

export function putScript(action: PutAction): string {
  const dest = quote(action.path);
  const lines = [
    'set -e',
    `dest=${dest}`,
    // The directory is named here, not found with `$(dirname ...)`: a fork and an exec less per write.
    `dir=${quote(posix.dirname(action.path))}`,
    ...(action.makeParents ? ['mkdir -p -- "$dir"'] : []),
    'tmp=$(mktemp "$dir/.provision.XXXXXX")',
    `trap 'rm -f "$tmp"' EXIT`,
    'cat > "$tmp"',
    action.mode
      ? `chmod ${quote(action.mode)} "$tmp"`
      : 'if [ -e "$dest" ]; then chmod --reference="$dest" "$tmp"; else chmod 0644 "$tmp"; fi',
  ];
  if (action.owner || action.group) {
    lines.push(`chown ${quote(`${action.owner ?? ''}${action.group ? `:${action.group}` : ''}`)} "$tmp"`);
  } else {
    lines.push('if [ -e "$dest" ]; then chown --reference="$dest" "$tmp"; fi');
  }
  if (action.validate) {
    // The validate command names the file with %s (Ansible's convention).
    const validate = action.validate.includes('%s') ? action.validate.split('%s').join('"$tmp"') : `${action.validate} "$tmp"`;
    lines.push(`if ! out=$( { ${validate} ; } 2>&1 ); then printf 'validation failed: %s\\n' "$out" >&2; exit 3; fi`);
  }
  if (action.backup) {
    // Ansible's backup name: PATH.PID.DATE@TIME~ (the PID keeps two backups in one second apart).
    // The name goes to stdout so the module can register it (copy's backup_file, lineinfile's backup).
    lines.push('if [ -e "$dest" ]; then backup="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p "$dest" "$backup"; printf \'%s\' "$backup"; fi');
  }
  lines.push('mv -f "$tmp" "$dest"', 'trap - EXIT');
  return lines.join('\n');
}

export function describeAction(action: Action): string {
  if (action.sensitive) return action.kind === 'put' ? `write ${action.path} (content hidden)` : '(sensitive command hidden)';
  if (action.kind === 'put') return `write ${action.path}${action.validate ? ` (validated by ${action.validate})` : ''}`;
  return action.describe ?? action.command;
}

/** An action returned a failing exit code; `outputs` holds every action run so far, the failing one last. */
export class ActionFailed extends Error {
  constructor(readonly outputs: ActionOutput[]) {
    const last = outputs[outputs.length - 1];
    super(last ? last.stderr.trim() || last.stdout.trim() || `exit code ${last.code}` : 'action failed');
  }
}

/**
 * Runs the actions in order; stops at the first that fails (its output is in the ActionFailed).
 * `tally`, when given, counts the round trips (one per action).
 */
export async function executeActions(transport: Transport, actions: Action[], become: Become | false, tally?: RoundTripTally): Promise<ActionOutput[]> {
  const outputs: ActionOutput[] = [];
  const options = { become, ...(tally ? { tally } : {}) };
  for (const action of actions) {
    const result =
      action.kind === 'put'
        ? await transport.exec(putScript(action), { ...options, stdin: action.content })
        : await transport.exec(action.command, { ...options, ...(action.stdin !== undefined ? { stdin: action.stdin } : {}) });
    const output: ActionOutput = { action, ...result };
    outputs.push(output);
    const ok = action.kind === 'put' ? [0] : (action.okCodes ?? [0]);
    if (!ok.includes(result.code)) throw new ActionFailed(outputs);
  }
  return outputs;
}
