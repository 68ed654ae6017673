// Registry of every module by name and alias. (Filled by the modules work.)
import type { ModuleDefinition } from './types.js';

export const moduleList: ModuleDefinition[] = [];

export const modulesByName: ReadonlyMap<string, ModuleDefinition> = new Map(
  moduleList.flatMap((m) => [m.name, ...(m.aliases ?? [])].map((n) => [n, m] as const)),
);
