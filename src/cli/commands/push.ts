/**
 * `push [--label L] [-m message] [--dry-run] [--yes] [--allow-breaking]`: creates a version for each changed
 * file (content hashes compared: an unchanged file creates none), with the lock's revision as
 * `expectedRevision`; a CONFLICT shows a three-way view (your last pull, the server, your file). A breaking
 * contract change needs `--allow-breaking`; a file removed since the last sync deletes its prompt only with `--yes`.
 */
import { createInterface } from 'node:readline/promises';
import { createTwoFilesPatch } from 'diff';
import { contractDiff } from '../../prompt-files/contract';
import { fileContentOf, localHashOf, VERSION_SELECTION, versionInputOf, type ServerVersion } from '../../prompt-files/server-version';
import { serializePromptFile } from '../../prompt-files/format';
import { ApiError } from '../api';
import type { Context } from '../context';
import type { LocalPrompt } from '../project';
import { loadPrompt, loadVersionById, type ServerPrompt } from '../server-prompts';
import { LATEST_LABEL } from '../../shared/labels';

type Plan =
  | { name: string; action: 'create'; file: LocalPrompt }
  | { name: string; action: 'version'; file: LocalPrompt; server: ServerPrompt; contractChanges: string[]; breaking: string[] }
  | { name: string; action: 'metadata'; file: LocalPrompt; server: ServerPrompt }
  | { name: string; action: 'unchanged'; file: LocalPrompt; server: ServerPrompt }
  | { name: string; action: 'delete'; revision: number };

export type PushOptions = { label?: string; message?: string; dryRun: boolean; yes: boolean; allowBreaking: boolean };

const sameMeta = (f: LocalPrompt, s: ServerPrompt) =>
  (f.content.description ?? null) === (s.description ?? null) && JSON.stringify(f.content.tags) === JSON.stringify(s.tags);

async function plan(ctx: Context): Promise<Plan[]> {
  const lock = await ctx.project.readLock();
  const files = await ctx.project.readAll();
  const plans: Plan[] = [];
  for (const f of files) {
    const found = await loadPrompt(ctx.api(), f.name, { kind: 'label', label: LATEST_LABEL });
    if (!found) {
      plans.push({ name: f.name, action: 'create', file: f });
      continue;
    }
    const latest = found.version;
    if (latest && localHashOf(f.content) === latest.contentHash) {
      plans.push({ name: f.name, action: sameMeta(f, found.prompt) ? 'unchanged' : 'metadata', file: f, server: found.prompt });
      continue;
    }
    const c = latest ? contractDiff(latest, f.content) : { changes: [], breaking: [] };
    plans.push({ name: f.name, action: 'version', file: f, server: found.prompt, contractChanges: c.changes, breaking: c.breaking });
  }
  const local = new Set(files.map((f) => f.name));
  for (const [name, entry] of Object.entries(lock.prompts)) if (!local.has(name)) plans.push({ name, action: 'delete', revision: entry.revision });
  return plans.sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** base → server and base → local, for a push that lost the race. */
async function threeWay(ctx: Context, f: LocalPrompt, baseId: string | undefined) {
  const found = await loadPrompt(ctx.api(), f.name, { kind: 'label', label: LATEST_LABEL });
  const base = baseId ? await loadVersionById(ctx.api(), baseId) : null;
  const meta = found?.prompt ?? { description: null, tags: [] };
  const text = (v: ServerVersion | null | undefined) => (v ? serializePromptFile(fileContentOf(v, meta)) : '');
  const baseLabel = base ? `base v${base.number}` : 'base (none)';
  const serverLabel = found?.version ? `server v${found.version.number}` : 'server (none)';
  return {
    base: base ? { number: base.number, text: text(base) } : null,
    server: found?.version ? { number: found.version.number, revision: found.prompt.revision, text: text(found.version) } : null,
    local: { text: f.text },
    serverDiff: createTwoFilesPatch(baseLabel, serverLabel, text(base), text(found?.version), undefined, undefined, { context: 3 }),
    localDiff: createTwoFilesPatch(baseLabel, 'local', text(base), f.text, undefined, undefined, { context: 3 }),
  };
}

export async function push(ctx: Context, opts: PushOptions): Promise<number> {
  const { out, project } = ctx;
  const plans = await plan(ctx);
  const work = plans.filter((p) => p.action !== 'unchanged');
  const refused = plans.filter((p): p is Extract<Plan, { action: 'version' }> => p.action === 'version' && p.breaking.length > 0 && !opts.allowBreaking);
  const planJson = plans.map((p) => ({
    name: p.name,
    action: p.action,
    ...(p.action === 'version' ? { contractChanges: p.contractChanges, breaking: p.breaking } : {}),
  }));
  for (const p of plans) {
    out.line(`${p.action.padEnd(9)} ${p.name}`);
    if (p.action === 'version') for (const c of p.contractChanges) out.line(`          contract: ${c}${p.breaking.includes(c) ? ' (breaking)' : ''}`);
  }
  if (refused.length) {
    out.line(`refused: breaking contract change in ${refused.map((p) => p.name).join(', ')}; pass --allow-breaking to push it. Nothing was pushed.`);
    out.result({ ok: false, error: { code: 'BREAKING_CHANGE', prompts: refused.map((p) => ({ name: p.name, breaking: p.breaking })) }, plan: planJson });
    return 1;
  }
  const deletes = work.filter((p) => p.action === 'delete');
  if (opts.dryRun || !work.length) {
    out.line(opts.dryRun ? 'dry run: nothing pushed' : 'everything is up to date');
    out.result({ ok: true, dryRun: opts.dryRun, plan: planJson, pushed: [] });
    return 0;
  }
  if (deletes.length && !opts.yes) out.line(`not deleting ${deletes.map((d) => d.name).join(', ')} without --yes (their files are gone)`);
  if (!opts.yes && ctx.interactive && !(await confirm(`Push ${work.length} change(s)?`))) {
    out.line('aborted');
    out.result({ ok: false, error: { code: 'ABORTED' }, plan: planJson });
    return 1;
  }
  const lock = await project.readLock();
  const pushed: unknown[] = [];
  const conflicts: unknown[] = [];
  const failures: unknown[] = [];
  let i = 0;
  const labels = opts.label ? [opts.label] : undefined;
  for (const p of work) {
    i++;
    try {
      if (p.action === 'create') {
        const d = await ctx.api().request(`mutation($i: CreatePromptInput!) { createPrompt(input: $i) { revision latestVersion { ${VERSION_SELECTION} } } }`, {
          i: {
            name: p.name,
            description: p.file.content.description,
            tags: p.file.content.tags,
            version: { ...versionInputOf(p.file.content), message: opts.message ?? null, labels },
          },
        });
        const v = d.createPrompt.latestVersion as ServerVersion;
        lock.prompts[p.name] = { versionId: v.id, number: v.number, revision: d.createPrompt.revision, hash: v.contentHash };
        pushed.push({ name: p.name, action: 'create', number: v.number });
        out.line(`created  ${p.name} v${v.number}`);
      } else if (p.action === 'version' || p.action === 'metadata') {
        let revision = p.server.revision;
        const expected = lock.prompts[p.name]?.revision ?? null;
        if (p.action === 'version') {
          const d = await ctx.api().request(`mutation($i: CreateVersionInput!) { createVersion(input: $i) { ${VERSION_SELECTION} prompt { revision } } }`, {
            i: { promptName: p.name, ...versionInputOf(p.file.content), message: opts.message ?? null, labels, expectedRevision: expected },
          });
          const v = d.createVersion as ServerVersion & { prompt: { revision: number } };
          revision = v.prompt.revision;
          lock.prompts[p.name] = { versionId: v.id, number: v.number, revision, hash: v.contentHash };
          pushed.push({ name: p.name, action: 'version', number: v.number, contractChanges: p.contractChanges });
          out.line(`pushed   ${p.name} v${v.number}`);
        }
        if (!sameMeta(p.file, p.server)) {
          const d = await ctx
            .api()
            .request(
              'mutation($n: String!, $i: UpdatePromptInput!) { updatePrompt(name: $n, input: $i) { revision latestVersion { id number contentHash } } }',
              {
                n: p.name,
                i: { description: p.file.content.description, tags: p.file.content.tags, expectedRevision: p.action === 'version' ? revision : expected },
              },
            );
          const v = d.updatePrompt.latestVersion;
          lock.prompts[p.name] = { versionId: v.id, number: v.number, revision: d.updatePrompt.revision, hash: v.contentHash };
          if (p.action === 'metadata') pushed.push({ name: p.name, action: 'metadata' });
          out.line(`updated  ${p.name} (description, tags)`);
        }
      } else if (p.action === 'delete') {
        if (!opts.yes) continue;
        await ctx
          .api()
          .request('mutation($n: String!, $r: Int) { deletePrompt(name: $n, confirmName: $n, expectedRevision: $r) }', { n: p.name, r: p.revision });
        delete lock.prompts[p.name];
        pushed.push({ name: p.name, action: 'delete' });
        out.line(`deleted  ${p.name}`);
      }
      await project.writeLock(lock);
    } catch (err) {
      if (err instanceof ApiError && err.serverCode === 'CONFLICT' && p.action !== 'delete' && p.action !== 'create') {
        const view = await threeWay(ctx, p.file, lock.prompts[p.name]?.versionId);
        conflicts.push({ name: p.name, message: err.message, ...view });
        out.line(`CONFLICT ${p.name}: the server changed since your last pull (${err.message})`);
        out.line(`--- what changed on the server (${view.base ? `v${view.base.number}` : 'base'} → ${view.server ? `v${view.server.number}` : 'none'}):`);
        out.line(view.serverDiff.replace(/\n$/, ''));
        out.line('--- what you changed:');
        out.line(view.localDiff.replace(/\n$/, ''));
        out.line(
          `resolve: merge the server's changes into ${p.file.file}, then \`prompt-service pull ${p.name} --keep-local\` and push again (or \`pull ${p.name} --force\` to take the server's)`,
        );
      } else if (err instanceof ApiError) {
        failures.push({ name: p.name, code: err.serverCode, message: err.message });
        out.line(`failed   ${p.name}: ${err.message}`);
      } else throw err;
    }
    out.progress(i, work.length, `${p.action} ${p.name}`);
  }
  const ok = conflicts.length === 0 && failures.length === 0;
  out.result({ ok, plan: planJson, pushed, conflicts, failures });
  return ok ? 0 : conflicts.length ? 1 : 3;
}
