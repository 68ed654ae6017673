// Every differential case, by area.

import type { DiffCase } from '../harness/types.js';
import { commandCases } from './command.js';
import { copyCases } from './copy.js';
import { editCases } from './edit.js';
import { fileCases } from './file.js';
import { keywordCases } from './keywords.js';
import { miscCases } from './misc.js';

export const allCases: DiffCase[] = [...fileCases, ...copyCases, ...editCases, ...commandCases, ...keywordCases, ...miscCases];
