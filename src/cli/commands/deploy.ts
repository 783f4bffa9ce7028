/** `deploy <name> <vN> [--label production] [--reason text]`: moves the label to that version (protected labels need PUBLISHER). */
import type { Context } from '../context';
import { CliError, EXIT } from '../errors';
import { parseRef } from '../server-prompts';

export async function deploy(ctx: Context, name: string | undefined, version: string | undefined, opts: { label?: string; reason?: string }): Promise<number> {
  if (!name || !version) throw new CliError('Usage: prompt-service deploy <name> <vN> --label production [--reason text]', EXIT.USAGE);
  const ref = parseRef(version);
  if (ref.kind !== 'number') throw new CliError(`"${version}" is not a version like v3.`, EXIT.USAGE);
  const label = opts.label ?? 'production';
  const api = ctx.api();
  const d = await api.request<{ prompt: { version: { id: string } | null } | null }>(
    'query($n: String!, $v: Int!) { prompt(name: $n) { version(number: $v) { id } } }',
    { n: name, v: ref.number },
  );
  if (!d.prompt) throw new CliError(`No prompt named "${name}" on the server.`, EXIT.FAILED, 'NOT_FOUND');
  if (!d.prompt.version) throw new CliError(`"${name}" has no version ${ref.number}.`, EXIT.FAILED, 'NOT_FOUND');
  const moved = await api.request<{ setLabel: { revision: number } }>(
    'mutation($n: String!, $l: String!, $v: ID!, $r: String) { setLabel(promptName: $n, label: $l, versionId: $v, reason: $r) { revision } }',
    {
      n: name,
      l: label,
      v: d.prompt.version.id,
      r: opts.reason ?? `deployed v${ref.number} with prompt-service`,
    },
  );
  ctx.out.line(`${label} of ${name} → v${ref.number}`);
  ctx.out.result({ ok: true, name, label, number: ref.number, revision: moved.setLabel.revision });
  return 0;
}
