// Task keywords around modules (loops, until, debug, set_fact): issue 10's differences, and
// ansible's targets/loops, targets/until and targets/debug.

import type { DiffCase } from '../harness/types.js';

export const keywordCases: DiffCase[] = [
  {
    name: 'loop goes on after a failed item and the task fails',
    source: 'issue 10',
    provisionTasks: `- shell: test <%= item %> != b && touch "@T@/<%= item %>"\n  loop: [a, b, c]`,
    ansibleTasks: `- shell: test {{ item }} != b && touch "@T@/{{ item }}"\n  loop: [a, b, c]`,
    ansibleFails: true,
  },
  {
    name: 'set_fact in a loop sees the previous items',
    source: 'issue 10',
    provisionTasks: `
- set_fact: { acc: [] }
- set_fact: { acc: "<%= acc.concat([item]) %>" }
  loop: [a, b, c]
- copy: { content: "<%= acc.join(',') %>", dest: "@T@/out" }`,
    ansibleTasks: `
- set_fact: { acc: [] }
- set_fact: { acc: "{{ acc + [item] }}" }
  loop: [a, b, c]
- copy: { content: "{{ acc | join(',') }}", dest: "@T@/out" }`,
  },
  {
    name: 'a looped command is skipped in check mode',
    source: 'issue 10',
    provisionTasks: `- command: touch "@T@/<%= item %>"\n  loop: [a, b]`,
    ansibleTasks: `- command: touch "@T@/{{ item }}"\n  loop: [a, b]`,
  },
  {
    name: 'until with retries makes retries+1 attempts',
    source: 'issue 10',
    tasks: `
- shell: echo x >> "@T@/count"; test $(wc -l < "@T@/count") -ge 9
  register: r
  until: r.rc == 0
  retries: 2
  delay: 0`,
    ansibleFails: true,
  },
  {
    name: 'until registers attempts when the condition holds at once',
    source: 'issue 10',
    tasks: `
- command: "true"
  register: r
  until: r.rc == 0
  retries: 3
  delay: 0
- assert: { that: ["r.attempts == 1"] }`,
  },
  {
    name: 'debug msg rendering to undefined fails',
    source: 'issue 10',
    provisionTasks: `
- command: "true"
  register: r
- debug: { msg: "<%= r.nope %>" }`,
    ansibleTasks: `
- command: "true"
  register: r
- debug: { msg: "{{ r.nope }}" }`,
    ansibleFails: true,
  },
  {
    name: 'debug with verbosity above the run is skipped',
    source: 'targets/debug',
    tasks: `- debug: { msg: hidden, verbosity: 1 }`,
  },
  {
    name: 'register and when on changed',
    source: 'targets/conditionals',
    tasks: `
- file: { path: "@T@/a", state: touch }
  register: r
- file: { path: "@T@/b", state: directory }
  when: r.changed`,
  },
];
