/**
 * `check [--label L] [--allow-breaking] [--types FILE]`, the CI gate: exits 1 when a file is invalid (front
 * matter, template, variables, tools or response format), on drift (without --label: the server's latest
 * version is no longer the one in the lock, someone changed it elsewhere; with --label: the file differs from the
 * version behind that label), on a breaking contract change against the server, or when the generated types
 * are stale.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contractDiff } from '../../prompt-files/contract';
import { localHashOf } from '../../prompt-files/server-version';
import { assertResponseFormat, assertTools } from '../../prompts/tool-schemas';
import type { Context } from '../context';
import { loadPrompt, parseRef, refText } from '../server-prompts';
import { typesFromFiles } from './typegen';
import { LATEST_LABEL } from '../../shared/labels';

type Problem = { prompt: string | null; kind: 'invalid' | 'drift' | 'breaking' | 'stale-types'; message: string };

export async function check(ctx: Context, opts: { label?: string; allowBreaking: boolean; types?: string }): Promise<number> {
  const { project, out } = ctx;
  const api = ctx.api();
  const ref = parseRef(opts.label);
  const lock = await project.readLock();
  const { prompts, errors } = await project.readAllLenient();
  const problems: Problem[] = errors.map((e) => ({ prompt: null, kind: 'invalid', message: e.message }));

  for (const f of prompts) {
    const c = f.content;
    try {
      assertTools(c.tools, 'tools');
      assertResponseFormat(c.responseFormat, 'responseFormat');
    } catch (err) {
      problems.push({ prompt: f.name, kind: 'invalid', message: `${f.file}: ${(err as Error).message}` });
    }
    const v = await api.request<{
      validateTemplate: { valid: boolean; errors: { message: string; line: number | null; column: number | null; field: string | null }[] };
    }>(
      'query($t: String, $m: [ChatMessageInput!], $v: [VariableInput!]) { validateTemplate(template: $t, messages: $m, variables: $v) { valid errors { message line column field } } }',
      {
        t: c.type === 'TEXT' ? (c.template ?? '') : null,
        m: c.type === 'CHAT' ? c.messages : null,
        v: c.variables.map((x) => ({
          name: x.name,
          type: x.type,
          values: x.values,
          required: x.required,
          default: x.default ?? null,
          description: x.description,
        })),
      },
    );
    for (const e of v.validateTemplate.errors) {
      const at = e.line != null ? `:${e.line}:${e.column}` : '';
      problems.push({ prompt: f.name, kind: 'invalid', message: `${f.file}${at}: ${e.field ? `${e.field}: ` : ''}${e.message}` });
    }

    const found = await loadPrompt(api, f.name, ref);
    const entry = lock.prompts[f.name];
    if (ref.kind === 'label' && ref.label === LATEST_LABEL && !opts.label) {
      if (entry && !found?.version) problems.push({ prompt: f.name, kind: 'drift', message: `${f.name}: in the lock but gone from the server` });
      else if (entry && found?.version && found.version.contentHash !== entry.hash) {
        problems.push({
          prompt: f.name,
          kind: 'drift',
          message: `${f.name}: the server's latest is v${found.version.number}, the lock has v${entry.number} (changed outside this repository; pull it)`,
        });
      }
    } else if (!found?.version) {
      problems.push({ prompt: f.name, kind: 'drift', message: `${f.name}: no version at ${refText(ref)} on the server` });
    } else if (localHashOf(c) !== found.version.contentHash) {
      problems.push({ prompt: f.name, kind: 'drift', message: `${f.name}: the file differs from ${refText(ref)} (v${found.version.number})` });
    }
    if (found?.version && !opts.allowBreaking) {
      const { breaking } = contractDiff(found.version, c);
      for (const b of breaking)
        problems.push({ prompt: f.name, kind: 'breaking', message: `${f.name}: breaking change against ${refText(ref)} v${found.version.number}: ${b}` });
    }
  }

  const typesOut = opts.types ?? lock.typesOut;
  if (typesOut) {
    const expected = typesFromFiles(prompts);
    const actual = await readFile(path.resolve(project.root, typesOut), 'utf8').catch(() => null);
    if (actual !== expected)
      problems.push({
        prompt: null,
        kind: 'stale-types',
        message: `${typesOut} is ${actual === null ? 'missing' : 'stale'}: run \`prompt-service typegen --out ${typesOut}\``,
      });
  }

  for (const p of problems) out.line(`✘ ${p.kind}: ${p.message}`);
  out.line(problems.length ? `check failed: ${problems.length} problem(s)` : `check passed: ${prompts.length} prompt(s)`);
  out.result({ ok: problems.length === 0, prompts: prompts.length, problems });
  return problems.length ? 1 : 0;
}
