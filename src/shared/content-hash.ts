/**
 * A version's content hash: SHA-256 of the canonical JSON (sorted keys) of everything that defines it. Shared by
 * the server (stored as `contentHash`) and the CLI, which compares a file's hash with the server's so an
 * unchanged file creates no version. `tools` and `responseFormat` count only when set, so the hashes of versions
 * stored before they existed stay what they were.
 */
import { createHash } from 'node:crypto';

export type HashedContent = {
  type: string;
  template: string | null;
  systemMessage: string | null;
  messages: unknown;
  variables: unknown;
  model: string;
  temperature: number;
  maxTokens: number;
  config: unknown;
  tools?: unknown;
  responseFormat?: unknown;
};

function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical);
  if (x && typeof x === 'object') {
    return Object.fromEntries(
      Object.entries(x)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, y]) => [k, canonical(y)]),
    );
  }
  return x;
}

export function contentHashOf(v: HashedContent): string {
  const body = {
    type: v.type,
    template: v.template,
    systemMessage: v.systemMessage,
    messages: v.messages,
    variables: v.variables,
    model: v.model,
    temperature: v.temperature,
    maxTokens: v.maxTokens,
    config: v.config,
    ...(v.tools != null ? { tools: v.tools } : {}),
    ...(v.responseFormat != null ? { responseFormat: v.responseFormat } : {}),
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)), 'utf8')
    .digest('hex');
}
