// lineinfile and blockinfile: from ansible's targets/lineinfile and targets/blockinfile, and issue 10.

import type { DiffCase } from '../harness/types.js';

const L = 'targets/lineinfile';
const B = 'targets/blockinfile';
const THREE = "printf 'one\\ntwo\\nthree\\n' > f";

export const editCases: DiffCase[] = [
  {
    name: 'lineinfile appends a line',
    source: L,
    setup: THREE,
    tasks: `- lineinfile: { path: "@T@/f", line: "four" }`,
  },
  {
    name: 'lineinfile insertbefore BOF with backup',
    source: L,
    setup: THREE,
    tasks: `- lineinfile: { path: "@T@/f", line: "zero", insertbefore: BOF, backup: true }`,
  },
  {
    name: 'lineinfile regexp replaces the last match',
    source: L,
    setup: "printf 'a=1\\nb=2\\na=3\\n' > f",
    tasks: `- lineinfile: { path: "@T@/f", regexp: "^a=", line: "a=9" }`,
  },
  {
    name: 'lineinfile absent by regexp',
    source: L,
    setup: "printf 'a=1\\nb=2\\na=3\\n' > f",
    tasks: `- lineinfile: { path: "@T@/f", regexp: "^a=", state: absent }`,
  },
  {
    name: 'lineinfile backrefs without a match changes nothing',
    source: L,
    setup: THREE,
    tasks: `- lineinfile: { path: "@T@/f", regexp: "^(nope)$", line: "\\\\1 x", backrefs: true }`,
  },
  {
    name: 'lineinfile insertafter with firstmatch',
    source: L,
    setup: "printf 'x\\nanchor\\ny\\nanchor\\n' > f",
    tasks: `- lineinfile: { path: "@T@/f", line: "new", insertafter: "^anchor", firstmatch: true }`,
  },
  {
    name: 'lineinfile create in an existing directory',
    source: L,
    tasks: `- lineinfile: { path: "@T@/new.txt", line: "First line", create: true }`,
  },
  {
    name: 'lineinfile create in a directory that does not exist',
    source: 'issue 10',
    tasks: `- lineinfile: { path: "@T@/a/b/new.txt", line: "First line", create: true }`,
  },
  {
    name: 'lineinfile on a file without final newline',
    source: L,
    setup: "printf 'one\\ntwo' > f",
    tasks: `- lineinfile: { path: "@T@/f", line: "three" }`,
  },
  {
    name: 'lineinfile on a CRLF file',
    source: L,
    setup: "printf 'one\\r\\ntwo\\r\\n' > f",
    tasks: `- lineinfile: { path: "@T@/f", line: "three" }`,
  },
  {
    name: 'lineinfile search_string replaces the line',
    source: 'issue 10',
    setup: "printf 'a=1\\nuser.x = 2\\n' > f",
    tasks: `- lineinfile: { path: "@T@/f", search_string: "user.x", line: "user.x = 3" }`,
  },
  {
    name: 'lineinfile search_string absent',
    source: 'issue 10',
    setup: "printf 'a=1\\nuser.x = 2\\n' > f",
    tasks: `- lineinfile: { path: "@T@/f", search_string: "user.x", state: absent }`,
  },
  {
    name: 'lineinfile on a missing file without create fails',
    source: L,
    tasks: `- lineinfile: { path: "@T@/missing", line: "x" }`,
    ansibleFails: true,
    difference: { doc: 'Check mode never fails on dependent steps.', diff: ['check: provision [changed] ansible [failed]'] },
  },
  {
    name: 'blockinfile inserts a block at the end',
    source: B,
    setup: THREE,
    tasks: `- blockinfile: { path: "@T@/f", block: "a\\nb" }`,
  },
  {
    name: 'blockinfile with a custom marker, insertbefore BOF',
    source: B,
    setup: THREE,
    tasks: `- blockinfile: { path: "@T@/f", block: "x", marker: "<!-- {mark} -->", insertbefore: BOF }`,
  },
  {
    name: 'blockinfile replaces an existing block',
    source: B,
    setup: "printf 'one\\n# BEGIN ANSIBLE MANAGED BLOCK\\nold\\n# END ANSIBLE MANAGED BLOCK\\ntwo\\n' > f",
    tasks: `- blockinfile: { path: "@T@/f", block: "new" }`,
  },
  {
    name: 'blockinfile absent removes the block',
    source: B,
    setup: "printf 'one\\n# BEGIN ANSIBLE MANAGED BLOCK\\nold\\n# END ANSIBLE MANAGED BLOCK\\ntwo\\n' > f",
    tasks: `- blockinfile: { path: "@T@/f", state: absent }`,
  },
  {
    name: 'blockinfile create in a directory that does not exist',
    source: 'issue 10',
    tasks: `- blockinfile: { path: "@T@/x/y/f", block: "a", create: true }`,
  },
  {
    name: 'blockinfile absent on a missing file fails',
    source: 'issue 10',
    tasks: `- blockinfile: { path: "@T@/missing", state: absent }`,
    ansibleFails: true,
    difference: { doc: 'Check mode never fails on dependent steps.', diff: ['check: provision [ok] ansible [failed]'] },
  },
  {
    name: 'blockinfile on a file without final newline',
    source: 'issue 10',
    setup: "printf 'one\\ntwo' > f",
    tasks: `- blockinfile: { path: "@T@/f", block: "b" }`,
  },
];
