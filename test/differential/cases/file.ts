// file: from ansible's test/integration/targets/file/tasks/main.yml and issue 10.

import type { DiffCase } from '../harness/types.js';

const T = 'targets/file';

export const fileCases: DiffCase[] = [
  {
    name: 'file touch creates, and touches again',
    source: T,
    tasks: `- file: { path: "@T@/touched", state: touch }`,
  },
  {
    name: 'file directory with mode',
    source: T,
    tasks: `- file: { path: "@T@/d", state: directory, mode: "0755" }`,
  },
  {
    name: 'file directory already there with another mode',
    source: T,
    setup: 'mkdir d && chmod 700 d',
    tasks: `- file: { path: "@T@/d", state: directory, mode: "0751" }`,
  },
  {
    name: 'file directory gives the mode to every directory it creates',
    source: 'issue 10',
    // `a` exists with 0700 and is left so; b and c are created, each with 0750.
    setup: 'mkdir a && chmod 700 a',
    tasks: `- file: { path: "@T@/a/b/c", state: directory, mode: "0750" }`,
  },
  {
    name: 'file absent removes a file',
    source: T,
    setup: 'echo x > f',
    tasks: `- file: { path: "@T@/f", state: absent }`,
  },
  {
    name: 'file absent removes a directory tree',
    source: T,
    setup: 'mkdir -p d/e && echo x > d/e/f',
    tasks: `- file: { path: "@T@/d", state: absent }`,
  },
  {
    name: 'file absent on a missing path is ok',
    source: T,
    tasks: `- file: { path: "@T@/nothing", state: absent }`,
  },
  {
    name: 'file link to an existing file',
    source: T,
    setup: 'echo x > target',
    tasks: `- file: { src: "@T@/target", dest: "@T@/link", state: link }`,
  },
  {
    name: 'file link with a relative src',
    source: T,
    setup: 'echo x > target',
    tasks: `- file: { src: target, dest: "@T@/link", state: link }`,
  },
  {
    name: 'file link replaced when it points elsewhere',
    source: T,
    setup: 'echo x > a && echo y > b && ln -s a link',
    tasks: `- file: { src: "@T@/b", dest: "@T@/link", state: link }`,
  },
  {
    name: 'file link to a missing src with force',
    source: T,
    tasks: `- file: { src: "@T@/missing", dest: "@T@/link", state: link, force: true }`,
  },
  {
    name: 'file mode on an existing file',
    source: T,
    setup: 'echo x > f && chmod 644 f',
    tasks: `- file: { path: "@T@/f", mode: "0600" }`,
  },
  {
    name: 'file symbolic mode on a file',
    source: T,
    setup: 'echo x > f && chmod 644 f',
    tasks: `- file: { path: "@T@/f", mode: "u+x,g-r" }`,
  },
  {
    name: 'file state=file on an existing file sets mode',
    source: T,
    setup: 'echo x > f && chmod 600 f',
    tasks: `- file: { path: "@T@/f", state: file, mode: "0640" }`,
  },
  {
    name: 'file mode on a symlink without state follows it',
    source: 'issue 10',
    setup: 'echo x > target && chmod 644 target && ln -s target link',
    tasks: `- file: { path: "@T@/link", mode: "0600" }`,
  },
  {
    name: 'file recurse with a symbolic mode is idempotent',
    source: 'issue 10',
    setup: 'mkdir -p d/e && echo x > d/f && echo y > d/e/g && chmod -R go-rwx d',
    tasks: `- file: { path: "@T@/d", state: directory, recurse: true, mode: "u=rwX,g=rX,o=rX" }`,
  },
  {
    name: 'file recurse with a numeric mode',
    source: T,
    setup: 'mkdir -p d/e && echo x > d/f && echo y > d/e/g',
    tasks: `- file: { path: "@T@/d", state: directory, recurse: true, mode: "0750" }`,
  },
];
