/** GraphQL over HTTP for the client: one POST with a timeout, coded errors, and retries with exponential backoff and full jitter. */
import { DomainError, UnavailableError, type ErrorCode } from '../errors';

/** Codes worth retrying: the server or a dependency is down, busy or failed unexpectedly. */
const RETRIABLE: ReadonlySet<string> = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);

export function isRetriable(error: unknown): boolean {
  return !(error instanceof DomainError) || RETRIABLE.has(error.code);
}

/** Full jitter (AWS architecture blog): a uniform wait in [0, min(cap, base * 2^attempt)), so clients do not retry in step. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

export type GraphQLTransport = {
  request<T>(query: string, variables: Record<string, unknown>): Promise<T>;
  /** `request` retried on retriable failures, up to `attempts` tries (Infinity: until `stopped()` says so). */
  requestWithRetry<T>(query: string, variables: Record<string, unknown>, attempts: number, stopped?: () => boolean): Promise<T>;
};

type GraphQLErrorBody = { message?: string; extensions?: { code?: string } & Record<string, unknown> };

export function createTransport(options: { url: string; apiKey: string; timeoutMs: number; retryBaseMs: number; retryMaxMs: number }): GraphQLTransport {
  async function request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let res: Response;
    try {
      res = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      throw new UnavailableError(`The prompt server could not be reached: ${(err as Error).message}`);
    }
    let body: { data?: T | null; errors?: GraphQLErrorBody[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new UnavailableError(`The prompt server answered ${res.status} without a GraphQL body.`);
    }
    const first = body.errors?.[0];
    if (first) {
      const { code, ...details } = first.extensions ?? {};
      throw new DomainError((code ?? (res.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL_SERVER_ERROR')) as ErrorCode, first.message ?? 'GraphQL error', details);
    }
    if (!body.data) throw new UnavailableError(`The prompt server answered ${res.status} without data.`);
    return body.data;
  }

  async function requestWithRetry<T>(query: string, variables: Record<string, unknown>, attempts: number, stopped: () => boolean = () => false): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request<T>(query, variables);
      } catch (err) {
        if (!isRetriable(err) || attempt + 1 >= attempts || stopped()) throw err;
        await sleep(backoffMs(attempt, options.retryBaseMs, options.retryMaxMs));
        if (stopped()) throw err;
      }
    }
  }

  return { request, requestWithRetry };
}
