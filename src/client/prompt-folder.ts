/**
 * A pulled `prompts/` folder as the client's last resort (`<package>/client/prompt-folder`): every `.prompt` file
 * becomes a fallback, served only for a prompt the client holds no copy of (none fetched, none in the snapshot)
 * while the server cannot answer — so a service starts even when the server has never been reachable. A file whose
 * content is still the one `prompts.lock.json` (beside the folder) records carries that version's id and number, so
 * calls tracked from it count for the right version; an edited or never-pushed file is `file:<name>`, version 0.
 * A separate entry point: it reads YAML, which the client proper does not need.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { localHashOf } from '../prompt-files/server-version';
import { parsePromptFile, promptOfFile, PROMPT_EXT } from '../prompt-files/format';
import { LOCKFILE, parseLock, type Lockfile } from '../prompt-files/lockfile';
import type { FallbackPrompt } from './types';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.isFile() && e.name.endsWith(PROMPT_EXT) ? [full] : [];
  });
}

function readLock(file: string): Lockfile | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return parseLock(text, file);
}

/**
 * The fallbacks of a `prompts/` folder, by prompt name, for `createPromptClient({ fallbacks })`. Read once, at once:
 * a missing folder, an unreadable file or a malformed one throws here, naming the file (a misconfigured service
 * fails at start, not at its first outage).
 */
export function promptFolderFallbacks(dir: string): Record<string, FallbackPrompt> {
  const root = path.resolve(dir);
  const lock = readLock(path.join(path.dirname(root), LOCKFILE));
  const out: Record<string, FallbackPrompt> = {};
  for (const file of walk(root).sort()) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const name = promptOfFile(rel);
    const c = parsePromptFile(readFileSync(file, 'utf8'), `${path.basename(root)}/${rel}`);
    const entry = lock?.prompts[name];
    const synced = entry !== undefined && localHashOf(c) === entry.hash;
    out[name] = {
      ...(c.type === 'CHAT' ? { messages: c.messages ?? [] } : { template: c.template ?? '' }),
      ...(c.systemMessage != null ? { systemMessage: c.systemMessage } : {}),
      variables: c.variables,
      ...(c.model != null ? { model: c.model } : {}),
      temperature: c.temperature,
      maxTokens: c.maxTokens,
      config: c.config,
      tools: c.tools,
      responseFormat: c.responseFormat,
      versionId: synced ? entry.versionId : `file:${name}`,
      versionNumber: synced ? entry.number : 0,
      source: `${path.basename(root)}/${rel}`,
    };
  }
  return out;
}
