// A small module registry for loader tests (the real one is src/modules/index.ts).
import { z } from 'zod';
import { defineModule, type ModuleDefinition } from '../../../src/modules/types.js';

const noPlan = async () => ({ actions: [] });
const bool = z.boolean();

export const testModuleList: ModuleDefinition[] = [
  defineModule({ name: 'command', freeForm: 'cmd', args: z.object({ cmd: z.string(), creates: z.string().optional(), chdir: z.string().optional() }).strict(), plan: noPlan }),
  defineModule({ name: 'apt', args: z.object({ name: z.union([z.string(), z.array(z.string())]), state: z.enum(['present', 'absent', 'latest']).default('present'), update_cache: bool.optional() }).strict(), plan: noPlan }),
  defineModule({ name: 'copy', args: z.object({ src: z.string().optional(), content: z.string().optional(), dest: z.string(), mode: z.string().optional(), remote_src: bool.optional() }).strict(), localSource: { arg: 'src', kind: 'files' }, plan: noPlan }),
  defineModule({ name: 'template', args: z.object({ src: z.string(), dest: z.string() }).strict(), localSource: { arg: 'src', kind: 'templates' }, plan: noPlan }),
  defineModule({ name: 'debug', args: z.object({ msg: z.unknown().optional(), var: z.string().optional() }).strict(), plan: noPlan }),
  defineModule({ name: 'set_fact', args: z.record(z.string(), z.unknown()), definesVariables: (a) => Object.keys(a as object), plan: noPlan }),
  defineModule({ name: 'service', args: z.object({ name: z.string(), state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional() }).strict(), plan: noPlan }),
  defineModule({ name: 'assert', args: z.object({ that: z.union([z.string(), z.array(z.string())]) }).strict(), conditionArgs: ['that'], plan: noPlan }),
];

export const testModules: ReadonlyMap<string, ModuleDefinition> = new Map(testModuleList.map((m) => [m.name, m]));
