// Every differential case, by area.

import type { DiffCase } from '../harness/types.js';
import { blockCases } from './blocks.js';
import { commandCases } from './command.js';
import { copyCases } from './copy.js';
import { editCases } from './edit.js';
import { fileCases } from './file.js';
import { keywordCases } from './keywords.js';
import { miscCases } from './misc.js';

// Cases kept here, not run, until their expected differences are pinned (none at the moment).
const PENDING = new Set<string>([]);

const every: DiffCase[] = [...fileCases, ...copyCases, ...editCases, ...commandCases, ...keywordCases, ...blockCases, ...miscCases];
export const pendingCases: DiffCase[] = every.filter((c) => PENDING.has(c.name));
export const allCases: DiffCase[] = every.filter((c) => !PENDING.has(c.name));
