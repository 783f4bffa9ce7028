/** `init`: creates `prompts/` and an empty `prompts.lock.json` (idempotent); checks the server when configured. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { emptyLock } from '../../prompt-files/lockfile';
import type { Context } from '../context';

export async function init(ctx: Context): Promise<number> {
  const { project, out } = ctx;
  const created: string[] = [];
  if (!existsSync(project.promptsDir)) {
    await mkdir(project.promptsDir, { recursive: true });
    created.push('prompts/');
  }
  if (!existsSync(project.lockPath)) {
    await project.writeLock(emptyLock());
    created.push('prompts.lock.json');
  }
  out.line(created.length ? `created ${created.join(', ')}` : 'already initialised');
  out.line('next: export PROMPT_SERVICE_URL=http://localhost:4000 PROMPT_SERVICE_KEY=<key>, then `prompt-service pull --all`');
  out.result({ ok: true, created });
  return 0;
}
