/** Template parser: source text → CompiledTemplate (a node tree), with positioned syntax errors. Runs once per version. */
import { BadInputError } from '../errors';
import { includeRefKey, parseIncludeRef } from './include-refs';
import type { CompiledTemplate, IncludeRef, TemplateNode } from './types';

export interface TemplateSyntaxError {
  message: string;
  /** UTF-16 offset of the offending tag or character in the source. */
  offset: number;
}

export type ParseResult = { ok: true; template: CompiledTemplate } | { ok: false; error: TemplateSyntaxError };

export const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|\d{1,9}))*$/;

/** 1-based line and column of a UTF-16 offset; columns count code points so an emoji is one column. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: [...source.slice(lineStart, offset)].length + 1 };
}

/** Offset of the first NUL or lone surrogate, or -1: such text cannot be stored or sent to a model reliably. */
export function findInvalidChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return i;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

export function invalidCharMessage(s: string, offset: number): string {
  return s.charCodeAt(offset) === 0
    ? 'Text contains a NUL character (\\u0000), which is not allowed.'
    : 'Text contains a lone UTF-16 surrogate (invalid Unicode), which is not allowed.';
}

function splitPath(text: string): { path: string[]; indices: number[] } {
  const path = text.split('.');
  return { path, indices: path.map((seg) => (/^\d+$/.test(seg) ? Number(seg) : -1)) };
}

const isBlank = (c: number): boolean => c === 32 || c === 9;

/**
 * The line around a tag is "standalone" when the tag is the only thing on it besides spaces/tabs; then the whole line
 * (indentation and line break) is dropped, as in mustache. Returns where the text to keep resumes, or -1.
 */
function standaloneEnd(source: string, tagStart: number, tagEnd: number): { prefix: number; resume: number } | null {
  let p = tagStart;
  while (p > 0 && isBlank(source.charCodeAt(p - 1))) p--;
  if (p > 0 && source.charCodeAt(p - 1) !== 10) return null;
  let q = tagEnd;
  while (q < source.length && isBlank(source.charCodeAt(q))) q++;
  if (q < source.length && source.charCodeAt(q) === 13 && source.charCodeAt(q + 1) === 10) q++;
  if (q < source.length && source.charCodeAt(q) !== 10) return null;
  return { prefix: tagStart - p, resume: q < source.length ? q + 1 : q };
}

interface OpenSection {
  node: { kind: 'section'; inverted: boolean; path: string[]; indices: number[]; children: TemplateNode[]; offset: number };
  raw: string;
  parent: TemplateNode[];
}

/** Parses a template. Never throws; the first syntax error is returned with its offset. */
export function parseTemplate(source: string): ParseResult {
  const fail = (message: string, offset: number): ParseResult => ({ ok: false, error: { message, offset } });
  const bad = findInvalidChar(source);
  if (bad !== -1) return fail(invalidCharMessage(source, bad), bad);

  const root: TemplateNode[] = [];
  let nodes = root;
  const open: OpenSection[] = [];
  const includes: IncludeRef[] = [];
  const includeKeys = new Set<string>();
  let text = '';
  const flush = (): void => {
    if (text !== '') nodes.push({ kind: 'text', text });
    text = '';
  };

  let i = 0;
  while (i < source.length) {
    const start = source.indexOf('{{', i);
    if (start === -1) {
      text += source.slice(i);
      break;
    }
    if (start > 0 && source.charCodeAt(start - 1) === 92 /* \ */) {
      // `\{{` is a literal `{{`: drop the backslash, keep the braces as text.
      text += source.slice(i, start - 1) + '{{';
      i = start + 2;
      continue;
    }
    text += source.slice(i, start);
    const triple = source.startsWith('{{{', start);
    const close = triple ? '}}}' : '}}';
    const contentStart = start + close.length;
    const contentEnd = source.indexOf(close, contentStart);
    const nextOpen = source.indexOf('{{', contentStart);
    if (contentEnd === -1 || (nextOpen !== -1 && nextOpen < contentEnd)) {
      return fail(`Unclosed tag: "${close.replace(/\}/g, '{')}" has no matching "${close}".`, start);
    }
    const end = contentEnd + close.length;
    const raw = source.slice(start, end);
    const body = source.slice(contentStart, contentEnd).trim();
    if (body === '') return fail(`Empty tag "${raw}": write a variable name, e.g. {{name}}.`, start);

    let sigil = triple ? '&' : body[0]!;
    let arg = triple ? body : body.slice(1).trim();
    if (!triple && !'!#^/>&={'.includes(sigil)) {
      sigil = '';
      arg = body;
    }

    if (sigil === '!' || sigil === '#' || sigil === '^' || sigil === '/') {
      const sa = standaloneEnd(source, start, end);
      if (sa) text = text.slice(0, text.length - sa.prefix);
      i = sa ? sa.resume : end;
    } else {
      i = end;
    }

    switch (sigil) {
      case '!':
        break; // comments render nothing; surrounding text stays one node
      case '#':
      case '^': {
        if (!PATH_RE.test(arg)) {
          return fail(`Invalid section name in "${raw}": expected a name like {{${sigil}items}} or {{${sigil}a.b}}.`, start);
        }
        flush();
        const { path, indices } = splitPath(arg);
        const node = { kind: 'section' as const, inverted: sigil === '^', path, indices, children: [] as TemplateNode[], offset: start };
        nodes.push(node);
        open.push({ node, raw, parent: nodes });
        nodes = node.children;
        break;
      }
      case '/': {
        const top = open[open.length - 1];
        if (!top) return fail(`Unexpected "${raw}": no section is open.`, start);
        if (arg !== top.node.path.join('.')) {
          const at = positionOf(source, top.node.offset);
          return fail(
            `Mismatched section close "${raw}": expected {{/${top.node.path.join('.')}}} to close "${top.raw}" ` + `(line ${at.line}, column ${at.column}).`,
            start,
          );
        }
        flush();
        open.pop();
        nodes = top.parent;
        break;
      }
      case '>': {
        const ref = parseIncludeRef(arg);
        if (!ref) {
          return fail(
            `Invalid include "${raw}": expected {{> prompt-name}}, {{> prompt-name@label}} or {{> prompt-name#3}} ` +
              '(names: lower-case letters, digits, ".", "_", "/", "-").',
            start,
          );
        }
        flush();
        const key = includeRefKey(ref);
        nodes.push({ kind: 'include', ref, key, offset: start });
        if (!includeKeys.has(key)) {
          includeKeys.add(key);
          includes.push(ref);
        }
        break;
      }
      case '=':
        return fail(`Set-delimiter tags like "${raw}" are not supported.`, start);
      case '{':
        return fail(`Unclosed triple mustache "${raw}": write {{{name}}} or just {{name}}.`, start);
      default: {
        // '' (plain variable) or '&' / triple mustache, which are the same: nothing is ever HTML-escaped.
        if (arg === '.') {
          flush();
          nodes.push({ kind: 'var', path: [], indices: [], offset: start });
          break;
        }
        if (!PATH_RE.test(arg)) {
          return fail(
            `Unknown tag syntax "${raw}": expected a variable like {{name}} or {{a.b.0}}, a section {{#name}}…{{/name}}, ` +
              'an inverted section {{^name}}…{{/name}}, a comment {{! … }} or an include {{> prompt-name}}.',
            start,
          );
        }
        flush();
        const { path, indices } = splitPath(arg);
        nodes.push({ kind: 'var', path, indices, offset: start });
      }
    }
  }
  const unclosed = open[open.length - 1];
  if (unclosed) {
    return fail(`Unclosed section "${unclosed.raw}": missing {{/${unclosed.node.path.join('.')}}}.`, unclosed.node.offset);
  }
  flush();
  return { ok: true, template: { source, nodes: root, includes } };
}

/**
 * Parses or throws BAD_USER_INPUT with `field` (e.g. `template`, `messages.2.content`) and the 1-based line/column
 * in both the message and `details`.
 */
export function compileTemplate(source: string, field = 'template'): CompiledTemplate {
  const r = parseTemplate(source);
  if (r.ok) return r.template;
  const { line, column } = positionOf(source, r.error.offset);
  throw new BadInputError(field, `${r.error.message} (${field}, line ${line}, column ${column})`, { line, column });
}
