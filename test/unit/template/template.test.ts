import { describe, expect, it } from 'vitest';
import { UndefinedVariableError, InputError } from '../../../src/core/errors.js';
import { renderValue, renderTemplateText, renderString, OPAQUE, RUNTIME_FALLBACK, singleExpression } from '../../../src/core/template.js';
import { templateSyntaxError } from '../../../src/core/template-syntax.js';

const loc = { file: 'play.yaml', line: 7, col: 12 };

describe('renderValue', () => {
  it('keeps the type of a string that is exactly one expression', () => {
    const vars = { port: 8080, list: ['a', 'b'], obj: { k: 1 } };
    expect(renderValue('<%= port %>', vars, loc)).toBe(8080);
    expect(renderValue('<%= list %>', vars, loc)).toEqual(['a', 'b']);
    expect(renderValue('<%- obj %>', vars, loc)).toEqual({ k: 1 });
    expect(renderValue('<%= port + 1 %>', vars, loc)).toBe(8081);
  });

  it('renders mixed text to a string without HTML escaping', () => {
    const vars = { v: '<b>&"x"</b>', n: 3 };
    expect(renderValue('a <%= v %> b', vars, loc)).toBe('a <b>&"x"</b> b');
    expect(renderValue('<%= n %>:<%= n %>', vars, loc)).toBe('3:3');
    expect(renderValue('<%- v %>!', vars, loc)).toBe('<b>&"x"</b>!');
  });

  it('renders a templated variable once per use, however deep the chain of variables it names', () => {
    let calls = 0;
    const vars = { tick: () => ++calls, c: '<%= tick() %>', b: '<%= c %>', a: '<%= b %>', v: '<%= vars.a %>' };
    expect(renderValue('<%= a %>', vars, loc)).toBe(1);
    expect(calls).toBe(1);
    expect(renderValue('<%= v %>', vars, loc)).toBe(2);
    expect(calls).toBe(2);
  });

  it('renders deeply and leaves untemplated values untouched', () => {
    const vars = { name: 'nginx' };
    const input = { pkg: ['<%= name %>', 'curl'], opts: { state: 'present', n: 1 } };
    expect(renderValue(input, vars, loc)).toEqual({ pkg: ['nginx', 'curl'], opts: { state: 'present', n: 1 } });
    const plain = { a: [1, 2], b: 'x' };
    expect(renderValue(plain, vars, loc)).toBe(plain);
  });

  it('lets JS globals work', () => {
    expect(renderValue('<%= Math.max(a, 4) %>', { a: 9 }, loc)).toBe(9);
    expect(renderValue('<%= JSON.stringify(o) %>', { o: { x: 1 } }, loc)).toBe('{"x":1}');
    expect(renderValue('<%= parseInt(s, 10) %>', { s: '42' }, loc)).toBe(42);
  });

  it('renders variables whose values are templates, lazily', () => {
    const vars = { base: '/srv', dir: '<%= base %>/app', file: '<%= dir %>/x.conf' };
    expect(renderValue('<%= file %>', vars, loc)).toBe('/srv/app/x.conf');
  });

  it('names an undefined variable with the location', () => {
    let err: unknown;
    try {
      renderValue({ a: ['ok', 'x <%= missing_var %>'] }, {}, loc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UndefinedVariableError);
    expect((err as UndefinedVariableError).variable).toBe('missing_var');
    expect((err as Error).message).toContain('play.yaml:7:12');
    expect((err as Error).message).toContain("'missing_var'");
  });

  it('locates errors by path when given a locator', () => {
    const locate = (path: readonly (string | number)[]) => ({ file: 'f.yaml', line: 10 + path.length, col: 3 });
    expect(() => renderValue({ a: { b: '<%= nope %>' } }, {}, locate)).toThrow(/f\.yaml:12:3: undefined variable 'nope'/);
  });

  it('says which variable holds an undefined reference', () => {
    expect(() => renderValue('<%= a %>', { a: 'x<%= b %>' }, loc)).toThrow(/undefined variable 'b'[\s\S]*in the value of variable 'a'/);
  });

  it('detects a self-referencing variable', () => {
    expect(() => renderValue('<%= a %>', { a: '<%= a %>' }, loc)).toThrow(InputError);
  });

  it('reports a syntax error as an InputError', () => {
    expect(() => renderValue('<%= 1 + %>', {}, loc)).toThrow(/play\.yaml:7:12: invalid template/);
  });

  it('gives `vars` and typeof for optional variables', () => {
    expect(renderValue("<%= vars.maybe ?? 'dflt' %>", {}, loc)).toBe('dflt');
    expect(renderValue("<%= typeof maybe === 'undefined' ? 'u' : maybe %>", {}, loc)).toBe('u');
    expect(renderValue("<%= vars.x %>", { x: '<%= 2 * 3 %>' }, loc)).toBe(6);
  });

  it('resolves runtime-only names through the fallback, opaquely', () => {
    const vars = { [RUNTIME_FALLBACK]: (n: string) => (n.startsWith('ansible_') ? OPAQUE : undefined) };
    expect(renderString('host <%= ansible_hostname %> <%= ansible_facts.a.b.c %>', vars, loc)).toBe('host  ');
    expect(() => renderValue('<%= other %>', vars, loc)).toThrow(UndefinedVariableError);
    expect(renderValue('<% for (const x of ansible_facts.list) { %>x<% } %>done', vars, loc)).toBe('done');
  });

  it('names the undefined variable after a typeof of another one', () => {
    const err = (() => {
      try {
        renderValue("<%= typeof maybe %> <%= other_missing %>", {}, loc);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UndefinedVariableError);
    expect((err as UndefinedVariableError).variable).toBe('other_missing');
  });

  it('reports what is wrong in a template that does not compile', () => {
    expect(() => renderValue('x <%= 1 + %>', {}, loc)).toThrow(/^play\.yaml:7:12: invalid template: Unexpected token/);
    expect(() => renderValue('x <%= 1 + %>', {}, loc)).not.toThrow(/EJS-Lint/);
  });

  it('detects single expressions exactly', () => {
    expect(singleExpression('<%= a %>')).toBe('a');
    expect(singleExpression('<%= a %> ')).toBeUndefined();
    expect(singleExpression('<%= a %><%= b %>')).toBeUndefined();
    expect(singleExpression('<% a %>')).toBeUndefined();
  });
});

describe('renderTemplateText', () => {
  it('renders a file without escaping', () => {
    const text = 'server_name <%= host %>;\n<% for (const p of ports) { -%>\nlisten <%= p %>;\n<% } -%>\n';
    expect(renderTemplateText(text, { host: 'a&b', ports: [80, 443] }, 'nginx.conf.ejs')).toBe(
      'server_name a&b;\nlisten 80;\nlisten 443;\n',
    );
  });

  it('names the template file and line of an undefined variable', () => {
    const text = 'line one\nline two\nvalue <%= undefined_thing %>\n';
    let err: unknown;
    try {
      renderTemplateText(text, {}, 'roles/x/templates/t.conf.ejs');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UndefinedVariableError);
    expect((err as Error).message).toMatch(/^roles\/x\/templates\/t\.conf\.ejs:3:1: undefined variable 'undefined_thing'/);
  });

  it('names the template file and line of a failure, with the message of the JS engine', () => {
    expect(() => renderTemplateText('a\n\nb <%= nothing.x %>\n', { nothing: null }, 't.conf.ejs')).toThrow(
      /^t\.conf\.ejs:3:1: template failed: Cannot read properties of null \(reading 'x'\)$/,
    );
    // A syntax error names its line too (ejs's own compile error names none).
    expect(() => renderTemplateText('a\n<% if ( %>\n', {}, 't.conf.ejs')).toThrow(/^t\.conf\.ejs:2:1: invalid template: Unexpected token/);
  });
});

describe('templateSyntaxError', () => {
  // [template text, line of the mistake, words of the message]
  const cases: [string, number, RegExp][] = [
    ['a\n<% if (x) { %>\nb\n<% } } %>\n', 4, /invalid template: Unexpected token '}'/],
    ['a\nb\n<% if (x) { %>\nc\nd\n', 3, /invalid template: Unexpected end of input\n {2}a '\{', '\(' or '\[' opened in a <% %> tag here is never closed/],
    ['a\n<%= foo( %>\nb\n', 2, /invalid template: missing \) after argument list/],
    ['a\n<% return 1 %>\n<%= ) %>\n', 3, /invalid template: Unexpected token '\)'/],
    ['a\n\n<% x %>  <%= y', 3, /invalid template: Could not find matching close tag for "<%="/],
  ];
  it.each(cases)('%j: line %i', (text, line, words) => {
    const err = templateSyntaxError(text, 't.ejs');
    expect(err?.location).toEqual({ file: 't.ejs', line, col: 1 });
    expect(err?.message).toMatch(words);
  });

  it('accepts a template that compiles, return and loops included', () => {
    expect(templateSyntaxError('ok <%= x %>\n<% for (const a of b) { -%>\n<%= a %>\n<% } %>\n<%# note %>\n', 't.ejs')).toBeUndefined();
    expect(templateSyntaxError('<% if (!x) return; %>rest', 't.ejs')).toBeUndefined();
  });
});
