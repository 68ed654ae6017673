// block/rescue/always and handlers (issue 10): each step adds its own line to one file, so the
// file's lines record which steps ran and in what order. A rescued `fail` still reports `failed`
// (hence ansibleFails: the first run contains a failed status, yet the play goes on).

import type { DiffCase } from '../harness/types.js';

const S = 'issue 10';
const log = (line: string) => `lineinfile: { path: "@T@/log", line: "${line}", create: yes }`;

export const blockCases: DiffCase[] = [
  {
    name: 'block: a failed task is rescued and always runs',
    source: S,
    ansibleFails: true,
    tasks: `
- block:
    - ${log('block')}
    - fail: { msg: boom }
    - ${log('not reached')}
  rescue:
    - ${log('rescue')}
  always:
    - ${log('always')}
- ${log('after the block')}`,
  },
  {
    name: 'block: rescue sees ansible_failed_task and ansible_failed_result',
    source: S,
    ansibleFails: true,
    provisionTasks: `
- block:
    - name: the failing task
      fail: { msg: boom }
  rescue:
    - copy: { content: "<%= ansible_failed_task.name %>: <%= ansible_failed_result.msg %>", dest: "@T@/why" }`,
    ansibleTasks: `
- block:
    - name: the failing task
      fail: { msg: boom }
  rescue:
    - copy: { content: "{{ ansible_failed_task.name }}: {{ ansible_failed_result.msg }}", dest: "@T@/why" }`,
  },
  {
    name: 'block: a nested block rescues its own failure',
    source: S,
    ansibleFails: true,
    tasks: `
- block:
    - ${log('outer')}
    - block:
        - fail: { msg: inner }
      rescue:
        - ${log('inner rescue')}
      always:
        - ${log('inner always')}
    - ${log('after the inner block')}
  rescue:
    - ${log('outer rescue: not reached')}
  always:
    - ${log('outer always')}`,
  },
  {
    name: 'block: a nested failure without rescue goes to the outer rescue',
    source: S,
    ansibleFails: true,
    tasks: `
- block:
    - block:
        - fail: { msg: inner }
      always:
        - ${log('inner always')}
    - ${log('not reached')}
  rescue:
    - ${log('outer rescue')}`,
  },
  {
    name: 'meta flush_handlers runs a notified handler at that point',
    source: S,
    tasks: `
- ${log('first')}
  notify: flush case handler
- meta: flush_handlers
- ${log('after the flush')}`,
    handlers: `
- name: flush case handler
  ${log('handler')}`,
    // The file (first, handler, after the flush) matches; only the meta task's own status line differs.
    difference: {
      doc: 'A `meta` task reports an `ok` line',
      diff: [
        'run: provision [changed, ok, changed, changed] ansible [changed, changed, changed]',
        'rerun: provision [ok, ok, ok] ansible [ok, ok]',
        'check: provision [changed, ok, changed, changed] ansible [changed, changed, changed]',
      ],
    },
  },
  {
    name: 'a notified handler runs after the last task',
    source: S,
    tasks: `
- ${log('first')}
  notify: end case handler
- ${log('second')}`,
    handlers: `
- name: end case handler
  ${log('handler')}`,
  },
  {
    name: 'a handler notified in a rescue runs',
    source: S,
    ansibleFails: true,
    tasks: `
- block:
    - fail: { msg: boom }
  rescue:
    - ${log('rescue')}
      notify: rescue case handler
- ${log('after the block')}`,
    handlers: `
- name: rescue case handler
  ${log('handler')}`,
  },
];
