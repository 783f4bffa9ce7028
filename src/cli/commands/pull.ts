/**
 * `pull [names…|--all] [--label L] [--force]`: writes each prompt's version at the label (default `latest`) as
 * its file and records it in the lock. A file with local changes is not overwritten without `--force`;
 * `--keep-local` only moves the lock to the server's version (after merging a push CONFLICT by hand).
 */
import { fileContentOf, localHashOf } from '../../prompt-files/server-version';
import { serializePromptFile } from '../../prompt-files/format';
import type { Context } from '../context';
import { CliError, EXIT } from '../errors';
import { allPromptNames, loadPrompt, parseRef, refText } from '../server-prompts';

export async function pull(ctx: Context, names: string[], opts: { all: boolean; label?: string; force: boolean; keepLocal: boolean }): Promise<number> {
  const { project, out } = ctx;
  if (!names.length && !opts.all) throw new CliError('Name the prompts to pull, or pass --all.', EXIT.USAGE);
  const ref = parseRef(opts.label);
  const api = ctx.api();
  const targets = opts.all ? await allPromptNames(api) : names;
  const lock = await project.readLock();
  const local = new Map((await project.readAll()).map((p) => [p.name, p]));
  const results: { name: string; status: 'pulled' | 'unchanged' | 'skipped' | 'missing'; number?: number; reason?: string }[] = [];
  let i = 0;
  for (const name of targets) {
    i++;
    const found = await loadPrompt(api, name, ref);
    if (!found || !found.version) {
      results.push({ name, status: 'missing', reason: found ? `no version at ${refText(ref)}` : 'no such prompt' });
      out.line(`missing  ${name} (${found ? `no version at ${refText(ref)}` : 'no such prompt'})`);
      continue;
    }
    const mine = local.get(name);
    const entry = lock.prompts[name];
    if (opts.keepLocal) {
      // After merging a conflict by hand: the lock moves to the server's version, the file stays as it is.
      lock.prompts[name] = { versionId: found.version.id, number: found.version.number, revision: found.prompt.revision, hash: found.version.contentHash };
      results.push({ name, status: 'unchanged', number: found.version.number, reason: 'kept the local file; lock now at the server version' });
      out.line(`locked   ${name} at v${found.version.number} (local file kept)`);
      continue;
    }
    if (mine && !opts.force && localHashOf(mine.content) !== (entry?.hash ?? null) && localHashOf(mine.content) !== found.version.contentHash) {
      results.push({ name, status: 'skipped', reason: 'local changes (use --force to overwrite)' });
      out.line(`skipped  ${name}: ${mine.file} has local changes (use --force to overwrite)`);
      continue;
    }
    const text = serializePromptFile(fileContentOf(found.version, found.prompt));
    const same = mine?.text === text;
    if (!same) await project.writePrompt(name, text);
    lock.prompts[name] = { versionId: found.version.id, number: found.version.number, revision: found.prompt.revision, hash: found.version.contentHash };
    results.push({ name, status: same ? 'unchanged' : 'pulled', number: found.version.number });
    out.progress(i, targets.length, `pulled ${name}`);
    out.line(`${same ? 'unchanged' : 'pulled   '} ${name} v${found.version.number} (${refText(ref)})`);
  }
  await project.writeLock(lock);
  out.result({ ok: true, label: refText(ref), prompts: results });
  return 0;
}
