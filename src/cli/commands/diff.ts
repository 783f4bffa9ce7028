/** `diff [name] [--against production|latest|vN]`: the local file against a server version, as a unified diff, with contract changes. */
import { createTwoFilesPatch } from 'diff';
import { contractDiff } from '../../prompt-files/contract';
import { fileContentOf } from '../../prompt-files/server-version';
import { serializePromptFile } from '../../prompt-files/format';
import type { Context } from '../context';
import { CliError, EXIT } from '../errors';
import { loadPrompt, parseRef, refText } from '../server-prompts';

export async function diff(ctx: Context, name: string | undefined, opts: { against?: string }): Promise<number> {
  const ref = parseRef(opts.against);
  const files = (await ctx.project.readAll()).filter((p) => !name || p.name === name);
  if (name && !files.length) throw new CliError(`No local file for "${name}" (prompts/${name}.prompt).`, EXIT.USAGE);
  const results = [];
  for (const f of files) {
    const found = await loadPrompt(ctx.api(), f.name, ref);
    const serverText = found?.version ? serializePromptFile(fileContentOf(found.version, found.prompt)) : '';
    if (serverText === f.text) continue;
    const patch = createTwoFilesPatch(
      `${f.name}@${found?.version ? `v${found.version.number}` : 'missing'}`,
      f.file,
      serverText,
      f.text,
      refText(ref),
      'local',
      { context: 3 },
    );
    const contract = found?.version ? contractDiff(found.version, f.content) : { changes: [], breaking: [] };
    results.push({
      name: f.name,
      against: refText(ref),
      serverVersion: found?.version?.number ?? null,
      diff: patch,
      contractChanges: contract.changes,
      breaking: contract.breaking,
    });
    ctx.out.line(patch.replace(/\n$/, ''));
    for (const c of contract.changes) ctx.out.line(`contract: ${c}${contract.breaking.includes(c) ? ' (breaking)' : ''}`);
  }
  if (!results.length) ctx.out.line(`no differences against ${refText(ref)}`);
  ctx.out.result({ ok: true, prompts: results });
  return 0;
}
