// The zod schemas of task, play and role-entry keywords (module arguments have their own, per module).

import { z } from 'zod';
import { yesNo as yesNoWords } from '../yes-no.js';
import { describeType } from './yaml-node.js';

/** Ansible accepts yes/no/on/off/1/0 as booleans; YAML 1.2 reads them as strings. */
export const yesNo = yesNoWords();

const condition = z.union([z.string(), z.boolean(), z.number()]);
export const conditions = z.union([condition, z.array(condition)]).transform((v) => (Array.isArray(v) ? v : [v]).map(String));
export const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
export const tagList = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((t) => String(t).split(',')).map((t) => t.trim()).filter(Boolean));
export const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name (letters, digits and _)');
export const varsMap = z.record(z.string(), z.unknown());
/** A loop: a list, or a `<%= %>` template that gives one on each host. */
const loopItems = z.unknown().superRefine((value, ctx) => {
  if (Array.isArray(value) || (typeof value === 'string' && value.includes('<%'))) return;
  ctx.addIssue({ code: 'custom', message: `expected a list, or a "<%= %>" template giving one, got ${describeType(value)}` });
});
const count = z.union([z.number().int().min(0), z.string().regex(/<%/, 'expected a number')]);

const loopControl = z
  .object({
    loop_var: identifier.optional(),
    index_var: identifier.optional(),
    label: z.string().optional(),
    pause: z.number().min(0).optional(),
    extended: yesNo.optional(),
  })
  .strict();

export const taskKeywordSchema = z
  .object({
    name: z.union([z.string(), z.number()]).transform(String).optional(),
    args: z.unknown().optional(),
    vars: varsMap.optional(),
    when: conditions.optional(),
    loop: loopItems.optional(),
    with_items: loopItems.optional(),
    loop_control: loopControl.optional(),
    register: identifier.optional(),
    notify: stringList.optional(),
    tags: tagList.optional(),
    become: yesNo.optional(),
    become_user: z.string().optional(),
    ignore_errors: yesNo.optional(),
    changed_when: conditions.optional(),
    failed_when: conditions.optional(),
    no_log: yesNo.optional(),
    until: condition.transform(String).optional(),
    retries: count.optional(),
    delay: count.optional(),
    run_once: yesNo.optional(),
    delegate_to: z.string().optional(),
    check_mode: yesNo.optional(),
    listen: stringList.optional(),
  })
  .strict();
export type TaskKeywords = z.output<typeof taskKeywordSchema>;
export const TASK_KEYWORDS: readonly string[] = Object.keys(taskKeywordSchema.shape);

/** Keywords of include_tasks/import_tasks (besides the file). */
/** Keywords an include and a block pass down to the tasks they contain. */
const inheritedKeywords = {
  name: z.string().optional(),
  vars: varsMap.optional(),
  when: conditions.optional(),
  tags: tagList.optional(),
  become: yesNo.optional(),
  become_user: z.string().optional(),
};

export const includeKeywordSchema = z
  .object({ ...inheritedKeywords, file: z.string().optional(), loop: loopItems.optional(), with_items: loopItems.optional(), loop_control: loopControl.optional() })
  .strict();

export const blockKeywordSchema = z
  .object({
    ...inheritedKeywords,
    ignore_errors: yesNo.optional(),
    no_log: yesNo.optional(),
    check_mode: yesNo.optional(),
    block: z.array(z.unknown()),
    rescue: z.array(z.unknown()).optional(),
    always: z.array(z.unknown()).optional(),
  })
  .strict();

const serialItem = z.union([z.number().int().min(1), z.string().regex(/^\d+%?$|<%/, 'expected a number or a percentage like "30%"')]);

export const playKeywordSchema = z
  .object({
    name: z.union([z.string(), z.number()]).transform(String).optional(),
    hosts: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v.join(':') : v)),
    become: yesNo.optional(),
    become_user: z.string().optional(),
    vars: varsMap.optional(),
    vars_files: stringList.optional(),
    roles: z.array(z.unknown()).optional(),
    pre_tasks: z.array(z.unknown()).nullable().optional(),
    tasks: z.array(z.unknown()).nullable().optional(),
    post_tasks: z.array(z.unknown()).nullable().optional(),
    handlers: z.array(z.unknown()).nullable().optional(),
    serial: z.union([serialItem, z.array(serialItem)]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
    strategy: z.enum(['linear', 'free']).optional(),
    gather_facts: yesNo.optional(),
    tags: tagList.optional(),
  })
  .strict();

/** Keywords of a role entry under `roles:` (other keys are role params). */
export const ROLE_ENTRY_KEYWORDS = ['role', 'name', 'vars', 'tags', 'when', 'become', 'become_user'] as const;
export const roleEntrySchema = z.object({
  vars: varsMap.optional(),
  tags: tagList.optional(),
  when: conditions.optional(),
  become: yesNo.optional(),
  become_user: z.string().optional(),
});

export const roleMetaSchema = z.object({
  dependencies: z.array(z.unknown()).nullable().optional(),
  allow_duplicates: yesNo.optional(),
  galaxy_info: z.unknown().optional(),
}).passthrough();
