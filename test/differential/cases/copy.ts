// copy: from ansible's test/integration/targets/copy/tasks/tests.yml and issue 10.

import type { DiffCase } from '../harness/types.js';

const T = 'targets/copy';

export const copyCases: DiffCase[] = [
  {
    name: 'copy content to a new file',
    source: T,
    tasks: `- copy: { content: "hello\\n", dest: "@T@/out" }`,
  },
  {
    name: 'copy content with mode',
    source: T,
    tasks: `- copy: { content: "secret\\n", dest: "@T@/out", mode: "0640" }`,
  },
  {
    name: 'copy content over different content',
    source: T,
    setup: 'echo old > out',
    tasks: `- copy: { content: "new\\n", dest: "@T@/out" }`,
  },
  {
    name: 'copy force false keeps an existing file',
    source: T,
    setup: 'echo old > out',
    tasks: `- copy: { content: "new\\n", dest: "@T@/out", force: false }`,
  },
  {
    name: 'copy src file to a directory',
    source: T,
    setup: 'mkdir in dir && echo data > in/a.txt',
    tasks: `- copy: { src: "@T@/in/a.txt", dest: "@T@/dir/" }`,
  },
  {
    name: 'copy src file to a dest ending in / that does not exist',
    source: 'issue 10',
    setup: 'mkdir in && echo data > in/a.txt',
    tasks: `- copy: { src: "@T@/in/a.txt", dest: "@T@/new/sub/" }`,
  },
  {
    name: 'copy through a symlink writes the target',
    source: T,
    setup: 'echo old > target && ln -s target link',
    tasks: `- copy: { content: "new\\n", dest: "@T@/link" }`,
  },
  {
    name: 'copy with backup registers backup_file',
    source: 'issue 10',
    setup: 'echo old > out',
    tasks: `
- copy: { content: "new\\n", dest: "@T@/out", backup: true }
  register: r
- assert: { that: ["r.backup_file is defined"] }`,
  },
  {
    name: 'copy content as a mapping is written as JSON',
    source: 'issue 10',
    tasks: `- copy: { content: { a: 1, b: [x, y] }, dest: "@T@/out.json" }`,
  },
  {
    name: 'copy validate failing leaves the file alone',
    source: T,
    setup: 'echo old > out',
    tasks: `- copy: { content: "new\\n", dest: "@T@/out", validate: "grep -q nomatch %s" }`,
    ansibleFails: true,
  },
];
