import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileContent, fileStat, parseFileContent, parseFileStat, parsePathExists, pathExists, treeDiffers } from '../../../src/facts/files.js';
import { fixture } from './fixture.js';

describe('fileStat', () => {
  it('parses a regular file with its checksum', () => {
    const stat = parseFileStat(fixture('stat-file'));
    expect(stat).toMatchObject({ exists: true, type: 'file', mode: '0640', owner: 'root', group: 'root', uid: 0, gid: 0, size: 6 });
    expect(stat.exists && stat.sha256).toBe(createHash('sha256').update('hello\n').digest('hex'));
    expect(stat.exists && stat.mtime).toBeGreaterThan(1_600_000_000);
  });
  it('parses an empty file, a directory with setgid, a device', () => {
    expect(parseFileStat(fixture('stat-empty'))).toMatchObject({ type: 'file', size: 0, sha256: createHash('sha256').digest('hex') });
    const dir = parseFileStat(fixture('stat-dir'));
    expect(dir).toMatchObject({ type: 'directory', mode: '2750' });
    expect(dir.exists && dir.sha256).toBeUndefined();
    expect(parseFileStat(fixture('stat-device'))).toMatchObject({ type: 'other', mode: '0666' });
  });
  it('parses links: the link itself, its target when following, a dangling one', () => {
    const link = parseFileStat(fixture('stat-link'));
    expect(link).toMatchObject({ type: 'link', linkTarget: 'hello.txt' });
    expect(link.exists && link.sha256).toBeUndefined();
    expect(parseFileStat(fixture('stat-link-follow'))).toMatchObject({ type: 'file', mode: '0640' });
    expect(parseFileStat(fixture('stat-dangling'))).toMatchObject({ type: 'link', linkTarget: 'missing-target' });
  });
  it('reports an absent path and odd file names', () => {
    expect(parseFileStat(fixture('stat-absent'))).toEqual({ exists: false });
    expect(parseFileStat(fixture('stat-odd-name'))).toMatchObject({ type: 'file', sha256: createHash('sha256').update('odd\n').digest('hex') });
    expect(parseFileStat(fixture('stat-nosum'))).not.toHaveProperty('sha256');
  });
  it('fails readably on output it does not understand', () => {
    expect(() => parseFileStat({ code: 1, stdout: '', stderr: 'stat: Permission denied' })).toThrow(/Permission denied/);
  });
  it('quotes the path and keys follow/checksum variants apart', () => {
    expect(fileStat("/tmp/a b'c").command).toContain(`'/tmp/a b'\\''c'`);
    const keys = new Set([fileStat('/x').key, fileStat('/x', { follow: true }).key, fileStat('/x', { checksum: false }).key]);
    expect(keys.size).toBe(3);
  });
});

describe('fileContent', () => {
  it('decodes text and binary content exactly', () => {
    const text = parseFileContent(fixture('content-text'));
    expect(text.exists && text.content.toString()).toBe('hello\n');
    const bin = parseFileContent(fixture('content-binary'));
    expect(bin.exists && [...bin.content]).toEqual([0, 1, 2, 255, 10, 13]);
    const empty = parseFileContent(fixture('content-empty'));
    expect(empty.exists && empty.content.length).toBe(0);
  });
  it('is absent for a missing path or a directory', () => {
    expect(parseFileContent(fixture('content-absent'))).toEqual({ exists: false });
    expect(parseFileContent(fixture('content-dir'))).toEqual({ exists: false });
  });
  it('fails when the file cannot be read', () => {
    expect(() => parseFileContent({ code: 1, stdout: 'present\n', stderr: 'Permission denied' })).toThrow(/Permission denied/);
  });
  it('keys by path', () => expect(fileContent('/etc/hosts').key).toBe('file.content:/etc/hosts'));
});

describe('pathExists', () => {
  it.each([
    ['exists-yes', true],
    ['exists-dangling', true],
    ['exists-no', false],
    ['exists-glob-yes', true],
    ['exists-glob-no', false],
  ])('%s', (name, expected) => expect(parsePathExists(fixture(name))).toBe(expected));
  it('uses compgen only for patterns', () => {
    expect(pathExists('/a/*.txt').command).toContain('compgen -G');
    expect(pathExists('/a/b.txt').command).not.toContain('compgen');
  });
});

describe('treeDiffers', () => {
  it('parses captured same/differs outputs', () => {
    const probe = treeDiffers('/x', { mode: '0644' });
    expect(probe.parse(fixture('treediff-same'))).toBe(false);
    expect(probe.parse(fixture('treediff-differs'))).toBe(true);
    expect(probe.parse(fixture('treediff-unknown-user'))).toBe(true);
  });
  it('uses -uid for numeric owners', () => {
    expect(treeDiffers('/x', { owner: '1000', group: 'www-data' }).command).toContain('! -uid 1000 -o ! -group www-data');
  });
});
