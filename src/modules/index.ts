// Registry of every module by name and alias (each also answers to ansible.builtin.NAME).
import aptModule from './apt.js';
import assertModule from './assert.js';
import blockinfileModule from './blockinfile.js';
import commandModule from './command.js';
import copyModule from './copy.js';
import debugModule from './debug.js';
import failModule from './fail.js';
import fileModule from './file.js';
import groupModule from './group.js';
import lineinfileModule from './lineinfile.js';
import metaModule from './meta.js';
import mysqlDbModule from './mysql-db.js';
import mysqlReplicationModule from './mysql-replication.js';
import mysqlUserModule from './mysql-user.js';
import serviceModule from './service.js';
import setFactModule from './set-fact.js';
import shellModule from './shell.js';
import statModule from './stat.js';
import sysctlModule from './sysctl.js';
import templateModule from './template.js';
import userModule from './user.js';
import ufwModule from './ufw.js';
import waitForModule from './wait-for.js';
import type { ModuleDefinition } from './types.js';

export const moduleList: ModuleDefinition[] = [
  aptModule,
  assertModule,
  blockinfileModule,
  commandModule,
  copyModule,
  debugModule,
  failModule,
  fileModule,
  groupModule,
  lineinfileModule,
  metaModule,
  mysqlDbModule,
  mysqlReplicationModule,
  mysqlUserModule,
  serviceModule,
  setFactModule,
  shellModule,
  statModule,
  sysctlModule,
  templateModule,
  userModule,
  ufwModule,
  waitForModule,
];

export const modulesByName: ReadonlyMap<string, ModuleDefinition> = new Map(
  moduleList.flatMap((m) => [m.name, ...(m.aliases ?? [])].map((n) => [n, m] as const)),
);
