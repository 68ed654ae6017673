import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook, loadRoleAsPlay } from '../../../src/core/playbook/index.js';
import { testModules } from './test-modules.js';

const fixtures = join(import.meta.dirname, '../../fixtures/playbooks');
const site = join(fixtures, 'site/playbooks/site.yaml');

describe('loadPlaybook (site fixture)', () => {
  const book = loadPlaybook(site, { modules: testModules });
  const play = book.plays[0]!;

  it('reads play keywords', () => {
    expect(book.plays).toHaveLength(1);
    expect(play.name).toBe('Web stack');
    expect(play.hosts).toBe('web');
    expect(play.become).toBe(true);
    expect(play.gatherFacts).toBe(true);
    expect(play.strategy).toBe('linear');
    expect(play.vars).toEqual({ greeting: 'hello', port: 8080, from_vars_file: 42 });
  });

  it('orders pre_tasks, role tasks (dependencies first, deduplicated), tasks', () => {
    expect(play.tasks.map((t) => t.name)).toEqual([
      'Say hi',
      'base : Base task',
      'common : Copy motd',
      'common : Extra common',
      'web : Site config',
      'Install packages',
      'command ls -l /tmp',
      'Inside include',
      'Nested',
      'In block',
    ]);
    expect(play.roles.map((r) => r.name)).toEqual(['base', 'common', 'web']);
  });

  it('gives role tasks a RoleContext with defaults, vars and params', () => {
    const web = play.tasks.find((t) => t.name === 'web : Site config')!;
    expect(web.role?.defaults).toEqual({ web_port: 80 });
    expect(web.role?.params).toEqual({ web_port: 9090 });
    const common = play.tasks.find((t) => t.name === 'common : Copy motd')!;
    expect(common.role?.vars).toEqual({ common_var: 'cv' });
    expect(common.role?.path).toBe(join(fixtures, 'site/roles/common'));
  });

  it('inherits tags from the play, the role listing and includes/blocks', () => {
    const tags = (name: string) => play.tasks.find((t) => t.name === name)!.tags;
    expect(tags('Say hi')).toEqual(['stack']);
    expect(tags('web : Site config')).toEqual(['stack', 'web']);
    expect(tags('common : Copy motd')).toEqual(['stack']);
    expect(tags('Inside include')).toEqual(['stack', 'inc']);
    expect(tags('Nested')).toEqual(['stack', 'inc']);
    expect(tags('In block')).toEqual(['stack', 'blk']);
  });

  it('passes include vars and when down', () => {
    const inc = play.tasks.find((t) => t.name === 'Inside include')!;
    expect(inc.vars).toEqual({ inc_var: 1 });
    expect(inc.when).toEqual(['port > 1']);
    const nested = play.tasks.find((t) => t.name === 'Nested')!;
    expect(nested.when).toEqual(['port > 1']);
    expect(nested.module).toBe('set_fact');
    expect(play.tasks.find((t) => t.name === 'In block')!.when).toEqual(["greeting == 'hello'"]);
  });

  it('parses key=value and free-form arguments', () => {
    expect(play.tasks.find((t) => t.name === 'Install packages')!.args).toEqual({ name: 'nginx', state: 'present', update_cache: true });
    expect(play.tasks.find((t) => t.module === 'command')!.args).toEqual({ cmd: 'ls -l /tmp', creates: '/tmp/x' });
  });

  it('collects role and play handlers with their listen names', () => {
    expect(play.handlers.map((h) => h.name)).toEqual(['common : restart thing', 'play handler']);
    expect(play.handlers[0]!.listen).toEqual(['restart thing', 'common : restart thing']);
    expect(play.handlers[1]!.listen).toEqual(['play handler', 'bye topic']);
  });

  it('locates tasks and templated values', () => {
    const hi = play.tasks[0]!;
    expect(hi.location).toEqual({ file: site, line: 11, col: 7 });
    expect(hi.locations?.['args.msg']).toEqual({ file: site, line: 13, col: 14 });
  });
});

describe('loadRoleAsPlay', () => {
  it('builds one play with the role, its dependencies and handlers', () => {
    const book = loadRoleAsPlay('web', 'web01', { modules: testModules, cwd: join(fixtures, 'site') });
    const play = book.plays[0]!;
    expect(play.hosts).toBe('web01');
    expect(play.become).toBe(true);
    expect(play.tasks.map((t) => t.name)).toEqual(['base : Base task', 'common : Copy motd', 'common : Extra common', 'web : Site config']);
    expect(play.handlers.map((h) => h.name)).toEqual(['common : restart thing']);
  });

  it('names a role that does not exist', () => {
    expect(() => loadRoleAsPlay('wbe', 'all', { modules: testModules, cwd: join(fixtures, 'site') })).toThrow(/role 'wbe' not found[\s\S]*did you mean 'web'\?/);
  });
});
