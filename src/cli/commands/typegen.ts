/** `typegen [--out FILE] [--from-server]`: writes the `PromptVariables` map and records its path in the lock (for `check`). */
import path from 'node:path';
import { generateTypes, type TypegenPrompt } from '../../prompt-files/typegen';
import type { Context } from '../context';
import type { LocalPrompt } from '../project';
import { writeAtomic } from '../project';
import { allPromptNames, loadPrompt } from '../server-prompts';

export const DEFAULT_TYPES_OUT = 'src/prompts.generated.ts';

export function typesFromFiles(prompts: readonly LocalPrompt[]): string {
  return generateTypes(
    prompts.map((p) => ({
      name: p.name,
      description: p.content.description,
      variables: p.content.variables,
      messages: p.content.messages,
      type: p.content.type,
      template: p.content.template,
      systemMessage: p.content.systemMessage,
    })),
    'the files in prompts/',
  );
}

export async function typegen(ctx: Context, opts: { out?: string; fromServer: boolean }): Promise<number> {
  const { project, out } = ctx;
  const lock = await project.readLock();
  const target = opts.out ?? lock.typesOut ?? DEFAULT_TYPES_OUT;
  let text: string;
  let count: number;
  if (opts.fromServer) {
    const api = ctx.api();
    const entries: TypegenPrompt[] = [];
    for (const name of await allPromptNames(api)) {
      // What resolve serves by default: production (else the newest version).
      const found = (await loadPrompt(api, name, { kind: 'label', label: 'production' })) ?? null;
      const version = found?.version ?? found?.prompt.latestVersion ?? null;
      if (!found || !version) continue;
      entries.push({
        name,
        description: found.prompt.description,
        variables: version.variables,
        messages: version.messages,
        type: version.type,
        template: version.template,
        systemMessage: version.systemMessage,
      });
    }
    text = generateTypes(entries, 'the server (production versions)');
    count = entries.length;
  } else {
    const prompts = await project.readAll();
    text = typesFromFiles(prompts);
    count = prompts.length;
  }
  await writeAtomic(path.resolve(project.root, target), text);
  if (!opts.fromServer && lock.typesOut !== target) await project.writeLock({ ...lock, typesOut: target });
  out.line(`wrote ${target} (${count} prompt(s))`);
  out.result({ ok: true, out: target, prompts: count });
  return 0;
}
