/**
 * The node:http handler: GraphQL over HTTP at /graphql (through Apollo), /healthz and /readyz, the dashboard at /ui/.
 * Bodies are bounded before they are parsed (413), non-UTF-8 charsets are refused (415).
 */
import type http from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GraphQLContext } from '../graphql/context';
import type { Logger } from '../logger';
import { PAST_DEADLINE, withinDeadline } from '../shared/deadline';
import type { CodeCounter } from '../shared/code-counter';
import { UNAVAILABLE_RETRY_AFTER_S } from '../shared/http-errors';
import { requestIdFrom } from './request-id';

/** recordCalls takes up to 5,000 calls in one request, hence 2 MB rather than 256 KB. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** JSON nesting of a request body: variables are at most 32 deep (R1), plus the envelope. */
export const MAX_JSON_NESTING = 40;

/** True when brackets nest deeper than `limit` outside strings: checked before JSON.parse spends CPU on it. */
export function jsonNestingExceeds(raw: string, limit: number): boolean {
  // Nesting deeper than `limit` needs more than `limit` openers: counting them natively (indexOf) lets the
  // common small body skip the character-by-character scan.
  let openers = 0;
  for (let i = raw.indexOf('{'); i !== -1 && openers <= limit; i = raw.indexOf('{', i + 1)) openers++;
  for (let i = raw.indexOf('['); i !== -1 && openers <= limit; i = raw.indexOf('[', i + 1)) openers++;
  if (openers <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

export type HttpDeps = {
  apollo: ApolloServer<GraphQLContext>;
  logger: Logger;
  /** Authenticates from the request's headers (a key, else the session cookie and `x-workspace-id`). */
  buildContext: (req: http.IncomingMessage, requestId: string, ip?: string) => Promise<GraphQLContext>;
  ready: () => Promise<boolean>;
  /** Prometheus text for GET /metrics (pub/sub health, sockets, caches): counts only, nothing secret. */
  metrics?: () => string;
  /** /auth/* (people: sign-in, sign-out, invitations, SSO); answers true when it handled the request. */
  authRoutes?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL, requestId: string) => Promise<boolean>;
  /** Refuses (403) a cookie-authenticated POST from a foreign Origin before it reaches Apollo; answers true when it refused. */
  refuseCrossSite?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** MCP over Streamable HTTP at /mcp (src/mcp/): gets the parsed JSON body. */
  mcp?: { handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown, requestId: string): Promise<void> };
  /** OTLP/HTTP trace export at POST /v1/traces (server/otlp-route.ts). */
  otlp?: (req: http.IncomingMessage, res: http.ServerResponse, requestId: string) => Promise<void>;
  /** The dashboard's static files at /ui/ and the redirect of `/` (src/server/dashboard.ts); answers true when it handled the request. */
  dashboard?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;
  /** GRAPHQL_REQUEST_TIMEOUT_MS: a GraphQL request not answered by then gets 503 UNAVAILABLE (reason REQUEST_DEADLINE). */
  requestDeadlineMs?: number;
  /** Counts the GraphQL errors this module answers itself, before Apollo or past the deadline (graphql_errors_total). */
  errorCodes?: CodeCounter;
};

export class BodyTooLarge extends Error {}

export async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return (await readBodyBytes(req, limit)).toString('utf8');
}

/** The raw body, refused past `limit` bytes (BodyTooLarge). */
export function readBodyBytes(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function createHttpHandler(deps: HttpDeps): http.RequestListener {
  return (req, res) => {
    void handle(deps, req, res).catch((err: unknown) => {
      deps.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'http handler failed');
      send(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  };
}

/** A GraphQL-shaped refusal answered here, before Apollo (or instead of it, past the deadline): counted like Apollo's. */
function refuse(
  deps: HttpDeps,
  res: http.ServerResponse,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  deps.errorCodes?.add(code);
  send(res, status, { errors: [{ message, extensions: { code, ...extensions } }] }, headers);
}

async function handle(deps: HttpDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const requestId = requestIdFrom(req.headers['x-request-id']);
  res.setHeader('x-request-id', requestId);
  if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
  if (url.pathname === '/metrics' && deps.metrics) {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    return void res.end(deps.metrics());
  }
  if (url.pathname === '/readyz') return (await deps.ready()) ? send(res, 200, { status: 'ready' }) : send(res, 503, { status: 'unavailable' });
  if ((url.pathname.startsWith('/auth/') || url.pathname === '/setup') && deps.authRoutes && (await deps.authRoutes(req, res, url, requestId))) return;
  if (url.pathname === '/mcp' && deps.mcp) return handleMcp(deps, req, res, requestId);
  if (url.pathname === '/v1/traces' && deps.otlp) return deps.otlp(req, res, requestId);
  if (deps.dashboard && (await deps.dashboard(req, res, url))) return;
  if (url.pathname !== '/graphql') return send(res, 404, { error: { code: 'NOT_FOUND', message: 'Not found.' } });
  if (req.method === 'POST' && deps.refuseCrossSite?.(req, res)) return;
  if (req.method !== 'GET' && req.method !== 'POST') return refuse(deps, res, 405, 'METHOD_NOT_ALLOWED', 'Use GET or POST.', {}, { allow: 'GET, POST' });

  const contentType = req.headers['content-type'] ?? '';
  const charset = /charset=([^;\s]+)/i.exec(contentType)?.[1]?.toLowerCase().replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') return refuse(deps, res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Only UTF-8 request bodies are accepted.');

  let raw = '';
  if (req.method === 'POST') {
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge)
        return refuse(deps, res, 413, 'BAD_REQUEST', `Request body larger than ${MAX_BODY_BYTES} bytes.`, {}, { connection: 'close' });
      throw err;
    }
  }
  let body: unknown = undefined;
  if (raw.length > 0 && /json/i.test(contentType)) {
    if (jsonNestingExceeds(raw, MAX_JSON_NESTING))
      return refuse(deps, res, 400, 'BAD_REQUEST', `The request body nests JSON deeper than ${MAX_JSON_NESTING} levels.`);
    try {
      body = JSON.parse(raw);
    } catch {
      return refuse(deps, res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
    }
  } else if (raw.length > 0) body = raw;

  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);

  const execution = deps.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: url.search, body },
    context: () => deps.buildContext(req, requestId, req.socket.remoteAddress ?? 'unknown'),
  });
  const started = performance.now();
  const response = deps.requestDeadlineMs
    ? await withinDeadline(execution, deps.requestDeadlineMs, ({ error }) =>
        deps.logger.warn(
          { requestId, ms: Math.round(performance.now() - started), ...(error ? { err: String(error) } : {}) },
          'graphql request finished after its deadline (its answer was already sent)',
        ),
      )
    : await execution;
  if (response === PAST_DEADLINE) {
    // Every dependency wait has its own bound; this one holds for the whole request (several statements, a slow
    // receiver of testWebhook, anything unforeseen). A write may still commit: the caller retries with expectedRevision.
    deps.logger.warn({ requestId, deadlineMs: deps.requestDeadlineMs }, 'graphql request past its deadline: answered UNAVAILABLE');
    const message = `The request did not finish within ${deps.requestDeadlineMs} ms (GRAPHQL_REQUEST_TIMEOUT_MS). A change it makes may still be applied: read the current state, or retry a change with expectedRevision.`;
    return refuse(deps, res, 503, 'UNAVAILABLE', message, { reason: 'REQUEST_DEADLINE', requestId }, { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_S) });
  }
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') return void res.end(response.body.string);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** /mcp: the body bounded and parsed like GraphQL's, then handed to the MCP endpoint (GET streams, DELETE ends). */
async function handleMcp(deps: HttpDeps, req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'DELETE')
    return send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'Use POST, GET or DELETE.' } }, { allow: 'GET, POST, DELETE' });
  let body: unknown = undefined;
  if (req.method === 'POST') {
    let raw: string;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge)
        return send(res, 413, { error: { code: 'BAD_REQUEST', message: `Request body larger than ${MAX_BODY_BYTES} bytes.` } }, { connection: 'close' });
      throw err;
    }
    if (jsonNestingExceeds(raw, MAX_JSON_NESTING))
      return send(res, 400, { error: { code: 'BAD_REQUEST', message: `The request body nests JSON deeper than ${MAX_JSON_NESTING} levels.` } });
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32700, message: 'Parse error: the body is not valid JSON.', data: { code: 'BAD_REQUEST' } },
      });
    }
  }
  await deps.mcp!.handle(req, res, body, requestId);
}
