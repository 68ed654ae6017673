// command and shell: from ansible's targets/command_shell and issue 10.

import type { DiffCase } from '../harness/types.js';

const T = 'targets/command_shell';

export const commandCases: DiffCase[] = [
  {
    name: 'command runs and is changed',
    source: T,
    tasks: `- command: touch "@T@/made"`,
  },
  {
    name: 'command with creates that exists',
    source: T,
    setup: 'touch made',
    tasks: `- command: touch "@T@/other"\n  args: { creates: "@T@/made" }`,
  },
  {
    name: 'command with removes that is missing',
    source: T,
    tasks: `- command: touch "@T@/other"\n  args: { removes: "@T@/gone" }`,
  },
  {
    name: 'command with chdir and a relative creates',
    source: T,
    setup: 'mkdir sub',
    tasks: `- command: touch made\n  args: { chdir: "@T@/sub", creates: made }`,
  },
  {
    name: 'command with argv',
    source: T,
    tasks: `- command: { argv: [touch, "@T@/with space"] }`,
  },
  {
    name: 'command that fails',
    source: T,
    tasks: `- command: "false"`,
    ansibleFails: true,
  },
  {
    name: 'shell with a redirect',
    source: T,
    tasks: `- shell: echo hi > "@T@/out"`,
  },
  {
    name: 'shell with creates that exists is not run',
    source: T,
    setup: 'touch made',
    tasks: `- shell: echo hi > "@T@/out"\n  args: { creates: "@T@/made" }`,
  },
  {
    name: 'command expands $HOME and ~ in its arguments',
    source: 'issue 10',
    provisionTasks: `
- command: echo $HOME ~ ~/x
  register: r
- copy: { content: "<%= r.stdout %>", dest: "@T@/out" }`,
    ansibleTasks: `
- command: echo $HOME ~ ~/x
  register: r
- copy: { content: "{{ r.stdout }}", dest: "@T@/out" }`,
  },
];
