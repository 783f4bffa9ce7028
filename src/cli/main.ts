#!/usr/bin/env node
/**
 * `prompt-service`: keep a workspace's prompts as files (`prompts/<name>.prompt`, `prompts.lock.json`), sync
 * them with the server, gate CI with `check`, generate types. Arguments with node:util parseArgs; the server
 * from PROMPT_SERVICE_URL and PROMPT_SERVICE_KEY (never written to disk). Exit codes: see errors.ts.
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadCliEnvironment, type CliEnvironment } from '../config';
import { ApiError } from './api';
import { check } from './commands/check';
import { deploy } from './commands/deploy';
import { diff } from './commands/diff';
import { init } from './commands/init';
import { pull } from './commands/pull';
import { push } from './commands/push';
import { status } from './commands/status';
import { typegen } from './commands/typegen';
import { createContext } from './context';
import { CliError, EXIT } from './errors';
import { createOutput } from './output';

type Options = NonNullable<ParseArgsConfig['options']>;
const COMMON: Options = { json: { type: 'boolean' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } };

const COMMANDS: Record<string, { usage: string; options: Options }> = {
  init: { usage: 'init                      create prompts/ and prompts.lock.json', options: {} },
  pull: {
    usage: 'pull [names…|--all] [--label L] [--force] [--keep-local]   write server versions (default: latest) as files',
    options: { all: { type: 'boolean' }, label: { type: 'string' }, force: { type: 'boolean' }, 'keep-local': { type: 'boolean' } },
  },
  status: { usage: 'status                    local files vs the lock vs the server', options: {} },
  diff: { usage: 'diff [name] [--against production|latest|vN]   the local files against a server version', options: { against: { type: 'string' } } },
  push: {
    usage: 'push [--label L] [-m message] [--dry-run] [--yes] [--allow-breaking]   create versions from changed files',
    options: {
      label: { type: 'string' },
      message: { type: 'string', short: 'm' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      'allow-breaking': { type: 'boolean' },
    },
  },
  check: {
    usage: 'check [--label L] [--allow-breaking] [--types FILE]   CI gate: invalid files, drift, breaking changes, stale types',
    options: { label: { type: 'string' }, 'allow-breaking': { type: 'boolean' }, types: { type: 'string' } },
  },
  deploy: {
    usage: 'deploy <name> <vN> [--label production] [--reason text]   move a label to a version',
    options: { label: { type: 'string' }, reason: { type: 'string' } },
  },
  typegen: {
    usage: 'typegen [--out FILE] [--from-server]   write the PromptVariables map (default src/prompts.generated.ts)',
    options: { out: { type: 'string' }, 'from-server': { type: 'boolean' } },
  },
};

function help(): string {
  return [
    'usage: prompt-service <command> [options] [--json] [--dir DIR]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'environment: PROMPT_SERVICE_URL (e.g. http://localhost:4000), PROMPT_SERVICE_KEY (an API key)',
    'exit codes: 0 ok, 1 check failed / conflict / breaking change refused, 2 usage, 3 server error or unreachable',
  ].join('\n');
}

export async function run(
  argv: string[],
  env: CliEnvironment = loadCliEnvironment(),
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const out = createOutput(json, stdout, stderr);
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      stdout.write(`${help()}\n`);
      return command ? EXIT.OK : EXIT.USAGE;
    }
    const spec = COMMANDS[command];
    if (!spec) throw new CliError(`Unknown command "${command}".\n${help()}`, EXIT.USAGE, 'UNKNOWN_COMMAND');
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: { ...COMMON, ...spec.options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new CliError(`${(err as Error).message}\nusage: prompt-service ${spec.usage}`, EXIT.USAGE, 'BAD_ARGUMENTS');
    }
    const v = parsed.values as Record<string, string | boolean | undefined>;
    if (v.help) {
      stdout.write(`usage: prompt-service ${spec.usage}\n`);
      return EXIT.OK;
    }
    const root = path.resolve(typeof v.dir === 'string' ? v.dir : process.cwd());
    const ctx = createContext(root, out, env, !json && Boolean(process.stdin.isTTY) && Boolean((stdout as NodeJS.WriteStream).isTTY));
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const bool = (k: string) => v[k] === true;
    const pos = parsed.positionals;
    switch (command) {
      case 'init':
        return await init(ctx);
      case 'pull':
        return await pull(ctx, pos, { all: bool('all'), label: str('label'), force: bool('force'), keepLocal: bool('keep-local') });
      case 'status':
        return await status(ctx);
      case 'diff':
        return await diff(ctx, pos[0], { against: str('against') });
      case 'push':
        return await push(ctx, {
          label: str('label'),
          message: str('message'),
          dryRun: bool('dry-run'),
          yes: bool('yes'),
          allowBreaking: bool('allow-breaking'),
        });
      case 'check':
        return await check(ctx, { label: str('label'), allowBreaking: bool('allow-breaking'), types: str('types') });
      case 'deploy':
        return await deploy(ctx, pos[0], pos[1], { label: str('label'), reason: str('reason') });
      case 'typegen':
        return await typegen(ctx, { out: str('out'), fromServer: bool('from-server') });
    }
    return EXIT.USAGE;
  } catch (err) {
    if (err instanceof CliError) {
      if (json)
        stdout.write(
          `${JSON.stringify({ ok: false, error: { code: err.code, message: err.message, ...(err instanceof ApiError ? { errors: err.errors } : {}) } }, null, 2)}\n`,
        );
      else stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
    return 70;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
