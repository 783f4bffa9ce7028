/**
 * The CLI's GraphQL client: URL and key from PROMPT_SERVICE_URL / PROMPT_SERVICE_KEY (read here, never
 * written anywhere), one POST per operation, server errors as CliErrors with the server's code.
 */
import type { CliEnvironment } from '../config';
import { CliError, EXIT } from './errors';

export type ServerError = { message: string; extensions?: { code?: string; field?: string; currentRevision?: number } };

export class ApiError extends CliError {
  constructor(readonly errors: ServerError[]) {
    const e = errors[0]!;
    const field = e.extensions?.field ? ` (field ${e.extensions.field})` : '';
    super(`${e.extensions?.code ?? 'ERROR'}: ${e.message}${field}`, EXIT.SERVER, e.extensions?.code ?? 'SERVER_ERROR', { errors });
  }
  get serverCode(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers name the shape of the data they select
export type Api = { url: string; request<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> };

export function apiFromEnv(env: CliEnvironment): Api {
  const base = env.PROMPT_SERVICE_URL?.trim();
  const key = env.PROMPT_SERVICE_KEY?.trim();
  if (!base) throw new CliError("PROMPT_SERVICE_URL is not set (the server's base URL, e.g. http://localhost:4000).", EXIT.USAGE, 'MISSING_URL');
  if (!key) throw new CliError('PROMPT_SERVICE_KEY is not set (an API key of your workspace).', EXIT.USAGE, 'MISSING_KEY');
  let endpoint: string;
  try {
    endpoint = new URL('/graphql', base.replace(/\/graphql\/?$/, '')).toString();
  } catch {
    throw new CliError(`PROMPT_SERVICE_URL is not a URL: ${base}`, EXIT.USAGE, 'BAD_URL');
  }
  return {
    url: endpoint,
    async request(query, variables) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        throw new CliError(`Cannot reach ${endpoint}: ${(err as Error).message}`, EXIT.SERVER, 'UNREACHABLE');
      }
      const text = await res.text();
      let body: { data?: unknown; errors?: ServerError[] };
      try {
        body = JSON.parse(text);
      } catch {
        throw new CliError(`${endpoint} answered ${res.status} with a non-JSON body.`, EXIT.SERVER, 'BAD_RESPONSE');
      }
      if (body.errors?.length) throw new ApiError(body.errors);
      if (!body.data) throw new CliError(`${endpoint} answered ${res.status} without data.`, EXIT.SERVER, 'BAD_RESPONSE');
      return body.data as never;
    },
  };
}
