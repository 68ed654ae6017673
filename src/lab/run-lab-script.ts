// Runs vagrant/lab.sh with the caller's terminal, so its progress (apt, box build, vagrant up) streams
// as it happens. The script does the real work; this only finds it and translates failures.

import { spawn } from 'node:child_process';
import { labFailure, LabError, type LabSubcommand } from './errors.js';
import { labScriptPath } from './paths.js';

export interface RunLabOptions {
  /** Path of lab.sh; defaults to the one in the package. */
  script?: string;
  /** Extra environment, e.g. PROVISION_LAB_PROVIDER. */
  env?: NodeJS.ProcessEnv;
  /** 'inherit' streams to this process's terminal; 'pipe' returns the output instead. */
  stdio?: 'inherit' | 'pipe';
}

export interface LabScriptResult {
  output: string;
}

export async function runLabScript(subcommand: LabSubcommand, options: RunLabOptions = {}): Promise<LabScriptResult> {
  const script = options.script ?? labScriptPath();
  if (script === undefined) {
    throw new LabError(subcommand, undefined, 'vagrant/lab.sh was not found beside the package: reinstall provision or run it from a clone');
  }
  const stdio = options.stdio ?? 'inherit';
  return new Promise<LabScriptResult>((resolve, reject) => {
    const child = spawn('bash', [script, subcommand], {
      stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (err) => {
      reject(new LabError(subcommand, undefined, `cannot run bash for lab ${subcommand}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ output });
      else reject(labFailure(subcommand, code ?? undefined, signal ?? undefined));
    });
  });
}
