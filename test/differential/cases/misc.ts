// stat and template: from ansible's targets/stat and targets/template.

import type { DiffCase } from '../harness/types.js';

export const miscCases: DiffCase[] = [
  {
    name: 'stat on a file and a missing path',
    source: 'targets/stat',
    setup: 'echo x > f && chmod 640 f',
    tasks: `
- stat: { path: "@T@/f" }
  register: s
- stat: { path: "@T@/missing" }
  register: m
- assert: { that: ["s.stat.exists", "s.stat.isreg", "s.stat.mode == '0640'", "not m.stat.exists"] }`,
  },
  {
    name: 'stat on a symlink, with and without follow',
    source: 'targets/stat',
    setup: 'echo x > f && ln -s f l',
    tasks: `
- stat: { path: "@T@/l" }
  register: s
- stat: { path: "@T@/l", follow: true }
  register: t
- assert: { that: ["s.stat.islnk", "not t.stat.islnk", "t.stat.isreg"] }`,
  },
  {
    name: 'template renders a variable with mode',
    source: 'targets/template',
    setup: "printf 'name=<%%= name %%>\\n' > t.ejs && printf 'name={{ name }}\\n' > t.j2",
    provisionTasks: `
- set_fact: { name: world }
- template: { src: "@T@/t.ejs", dest: "@T@/out", mode: "0600" }`,
    ansibleTasks: `
- set_fact: { name: world }
- template: { src: "@T@/t.j2", dest: "@T@/out", mode: "0600" }`,
  },
];
