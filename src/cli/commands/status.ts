/** `status`: each prompt, local file vs lock vs server (the server's latest version). */
import { localHashOf } from '../../prompt-files/server-version';
import type { Context } from '../context';
import { loadPrompt } from '../server-prompts';
import { LATEST_LABEL } from '../../shared/labels';

export type StatusRow = {
  name: string;
  local: 'unchanged' | 'modified' | 'new' | 'deleted';
  server: 'in-sync' | 'changed' | 'missing' | 'unknown';
  file: string | null;
};

export async function computeStatus(ctx: Context, offline = false): Promise<StatusRow[]> {
  const lock = await ctx.project.readLock();
  const files = new Map((await ctx.project.readAll()).map((p) => [p.name, p]));
  const names = [...new Set([...files.keys(), ...Object.keys(lock.prompts)])].sort();
  const rows: StatusRow[] = [];
  for (const name of names) {
    const f = files.get(name);
    const entry = lock.prompts[name];
    const local: StatusRow['local'] = !f ? 'deleted' : !entry ? 'new' : localHashOf(f.content) === entry.hash ? 'unchanged' : 'modified';
    let server: StatusRow['server'] = 'unknown';
    if (!offline) {
      const found = await loadPrompt(ctx.api(), name, { kind: 'label', label: LATEST_LABEL });
      server = !found?.version
        ? 'missing'
        : entry && found.version.contentHash === entry.hash
          ? 'in-sync'
          : entry
            ? 'changed'
            : found.version.contentHash === (f ? localHashOf(f.content) : null)
              ? 'in-sync'
              : 'changed';
    }
    rows.push({ name, local, server, file: f?.file ?? null });
  }
  return rows;
}

export async function status(ctx: Context): Promise<number> {
  const rows = await computeStatus(ctx);
  for (const r of rows) ctx.out.line(`${r.local.padEnd(9)} ${r.server.padEnd(7)} ${r.name}`);
  if (!rows.length) ctx.out.line('no prompts yet: `prompt-service pull --all` or add prompts/<name>.prompt');
  ctx.out.result({ ok: true, prompts: rows });
  return 0;
}
