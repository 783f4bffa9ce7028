/**
 * The files of a prompts repository: `prompts/<folder>/<name>.prompt` and `prompts.lock.json` beside the
 * folder, under the project root (the working directory, or `--dir`). Writes are atomic (temp + rename).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileOfPrompt, parsePromptFile, PromptFileError, promptOfFile, PROMPT_EXT, type PromptFileContent } from '../prompt-files/format';
import { emptyLock, LOCKFILE, parseLock, serializeLock, type Lockfile } from '../prompt-files/lockfile';
import { PROMPT_NAME } from '../shared/validate';
import { CliError, EXIT } from './errors';

export type LocalPrompt = { name: string; file: string; text: string; content: PromptFileContent };

export type Project = ReturnType<typeof openProject>;

export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
}

export function openProject(root: string) {
  const promptsDir = path.join(root, 'prompts');
  const lockPath = path.join(root, LOCKFILE);

  async function walk(dir: string): Promise<string[]> {
    if (!existsSync(dir)) return [];
    const entries = await readdir(dir, { withFileTypes: true });
    const nested = await Promise.all(
      entries.map(async (e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(PROMPT_EXT) ? [path.join(dir, e.name)] : [])),
    );
    return nested.flat();
  }

  /** Every local prompt file; the ones that do not parse come back as errors (for `check`). */
  async function readAllLenient(): Promise<{ prompts: LocalPrompt[]; errors: { file: string; message: string }[] }> {
    const files = (await walk(promptsDir)).sort();
    const prompts: LocalPrompt[] = [];
    const errors: { file: string; message: string }[] = [];
    for (const file of files) {
      const rel = path.relative(promptsDir, file).split(path.sep).join('/');
      const name = promptOfFile(rel);
      const shown = `prompts/${rel}`;
      if (!PROMPT_NAME.test(name) || name.includes('//')) {
        errors.push({ file: shown, message: `${shown}: "${name}" is not a valid prompt name (a-z, 0-9, ".", "_", "-", "/").` });
        continue;
      }
      const text = await readFile(file, 'utf8');
      try {
        prompts.push({ name, file: shown, text, content: parsePromptFile(text, shown) });
      } catch (err) {
        if (!(err instanceof PromptFileError)) throw err;
        errors.push({ file: shown, message: err.message });
      }
    }
    return { prompts, errors };
  }

  return {
    root,
    promptsDir,
    lockPath,
    initialized: () => existsSync(promptsDir) || existsSync(lockPath),
    fileOf: (name: string) => path.join(promptsDir, fileOfPrompt(name)),
    relative: (file: string) => path.relative(root, file).split(path.sep).join('/'),

    async readLock(): Promise<Lockfile> {
      if (!existsSync(lockPath)) return emptyLock();
      try {
        return parseLock(await readFile(lockPath, 'utf8'), LOCKFILE);
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.USAGE, 'BAD_LOCKFILE');
      }
    },
    writeLock: (lock: Lockfile) => writeAtomic(lockPath, serializeLock(lock)),

    /** Every local prompt file, parsed; a file that does not parse is a usage error naming it. */
    async readAll(): Promise<LocalPrompt[]> {
      const { prompts, errors } = await readAllLenient();
      if (errors.length) throw new CliError(errors[0]!.message, EXIT.USAGE, 'BAD_FILE');
      return prompts;
    },

    readAllLenient,
    writePrompt: (name: string, text: string) => writeAtomic(path.join(promptsDir, fileOfPrompt(name)), text),
    removePrompt: (name: string) => rm(path.join(promptsDir, fileOfPrompt(name)), { force: true }),
  };
}
