// Every differential case, by area.

import type { DiffCase } from '../harness/types.js';
import { commandCases } from './command.js';
import { copyCases } from './copy.js';
import { editCases } from './edit.js';
import { fileCases } from './file.js';
import { keywordCases } from './keywords.js';
import { miscCases } from './misc.js';

// Cases whose differences are not yet recorded exactly ($HOME in command, set_fact
// accumulating in a loop): kept here, not run, until their expected differences are pinned.
const PENDING = new Set([
  'set_fact in a loop sees the previous items',
]);

const every: DiffCase[] = [...fileCases, ...copyCases, ...editCases, ...commandCases, ...keywordCases, ...miscCases];
export const pendingCases: DiffCase[] = every.filter((c) => PENDING.has(c.name));
export const allCases: DiffCase[] = every.filter((c) => !PENDING.has(c.name));
