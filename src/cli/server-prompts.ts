/** Reading prompts from the server for the CLI: one prompt at a label, `latest` or `vN`; every prompt's name. */
import { VERSION_SELECTION, type ServerVersion } from '../prompt-files/server-version';
import type { Api } from './api';
import { CliError, EXIT } from './errors';
import { LATEST_LABEL } from '../shared/labels';

export type ServerPrompt = { name: string; description: string | null; tags: string[]; revision: number; latestVersion: ServerVersion | null };
export type Ref = { kind: 'label'; label: string } | { kind: 'number'; number: number };

export function parseRef(text: string | undefined, fallback = LATEST_LABEL): Ref {
  const t = text ?? fallback;
  const m = /^v(\d+)$/.exec(t);
  if (m) return { kind: 'number', number: Number(m[1]) };
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(t)) throw new CliError(`"${t}" is neither a label nor a version like v3.`, EXIT.USAGE, 'BAD_REF');
  return { kind: 'label', label: t };
}

export const refText = (r: Ref) => (r.kind === 'number' ? `v${r.number}` : r.label);

const PROMPT_FIELDS = `name description tags revision latestVersion { ${VERSION_SELECTION} } labels { name version { ${VERSION_SELECTION} } }`;

type Loaded = ServerPrompt & { labels: { name: string; version: ServerVersion }[] };

/** The prompt (null when the workspace has none of this name) and the version the ref means (null when it has none). */
export async function loadPrompt(api: Api, name: string, ref: Ref): Promise<{ prompt: ServerPrompt; version: ServerVersion | null } | null> {
  if (ref.kind === 'number') {
    const d = await api.request<{ prompt: (ServerPrompt & { version: ServerVersion | null }) | null }>(
      `query($n: String!, $v: Int!) { prompt(name: $n) { name description tags revision latestVersion { ${VERSION_SELECTION} } version(number: $v) { ${VERSION_SELECTION} } } }`,
      { n: name, v: ref.number },
    );
    return d.prompt ? { prompt: d.prompt, version: d.prompt.version } : null;
  }
  const d = await api.request<{ prompt: Loaded | null }>(`query($n: String!) { prompt(name: $n) { ${PROMPT_FIELDS} } }`, { n: name });
  if (!d.prompt) return null;
  const version = ref.label === LATEST_LABEL ? d.prompt.latestVersion : (d.prompt.labels.find((l) => l.name === ref.label)?.version ?? null);
  return { prompt: d.prompt, version };
}

export async function loadVersionById(api: Api, id: string): Promise<ServerVersion | null> {
  const d = await api.request<{ version: ServerVersion | null }>(`query($id: ID!) { version(id: $id) { ${VERSION_SELECTION} } }`, { id });
  return d.version;
}

/** Every prompt name of the workspace (archived ones left out), page by page. */
export async function allPromptNames(api: Api): Promise<string[]> {
  const names: string[] = [];
  let after: string | null = null;
  for (;;) {
    const d: { prompts: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await api.request(
      'query($after: String) { prompts(first: 500, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    names.push(...d.prompts.edges.map((e) => e.node.name));
    if (!d.prompts.pageInfo.hasNextPage) return names;
    after = d.prompts.pageInfo.endCursor;
  }
}
