/**
 * `POST /v1/traces`: OTLP/HTTP trace export (JSON or protobuf, optionally gzip) turned into recorded
 * calls. Spans carrying `prompt_service.version_id` become calls through the same `recordCalls` as
 * GraphQL (its validation, `metrics:write`, the 5,000 limit), keyed by trace and span id so a re-export
 * counts once; other spans are ignored. A span the service refuses is reported in the OTLP
 * `partialSuccess` (rejected count and why) while the rest is stored. Errors are JSON with a code.
 */
import type http from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DomainError } from '../errors';
import { MAX_BATCH_CALLS } from '../metrics/ingest';
import type { MetricsService } from '../metrics/service';
import { callOfSpan, decodeJsonSpans, decodeProtobufSpans, encodeProtobufResponse, type OtlpSpan } from '../metrics/otlp-spans';
import { validateCall, type CallInput } from '../metrics/validate-call';
import type { RequestScope } from '../shared/request-scope';
import { BodyTooLarge, jsonNestingExceeds, MAX_BODY_BYTES, MAX_JSON_NESTING, readBodyBytes } from './http';
import { httpErrorOf } from '../shared/http-errors';

export const OTLP_TRACES_PATH = '/v1/traces';
/** Spans per request, of every kind (only some become calls, at most MAX_BATCH_CALLS). */
const MAX_SPANS = 20_000;
/** Store attempts per request when the database refuses single spans (unknown version, conflicting repeat). */
const MAX_STORE_ATTEMPTS = 5;

const gunzipAsync = promisify(gunzip);

export type OtlpDeps = {
  metrics: Pick<MetricsService, 'recordCalls'>;
  /** The caller (throws UNAUTHENTICATED, RATE_LIMITED…), as GraphQL authenticates it. */
  authenticate: (req: http.IncomingMessage, requestId: string, ip: string) => Promise<RequestScope>;
  /** Logs and counts a database failure behind a refusal while storing (authentication reports its own). */
  reportDbFailure?: (err: unknown, requestId: string) => void;
};

function sendError(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

type Rejection = { spanId: string; reason: string };

/** Stores what it can: invalid spans and spans the database refuses one by one are rejected, the rest recorded. */
async function storeCalls(deps: OtlpDeps, scope: RequestScope, spans: OtlpSpan[]): Promise<{ recorded: number; rejected: Rejection[] }> {
  const rejected: Rejection[] = [];
  let pending: { span: OtlpSpan; call: CallInput }[] = [];
  const now = Date.now();
  for (const span of spans) {
    const call = callOfSpan(span);
    if (!call) continue;
    if (!/^[0-9a-f]{16}$/.test(span.spanId) || !/^[0-9a-f]{32}$/.test(span.traceId)) {
      rejected.push({ spanId: span.spanId, reason: 'traceId/spanId: not a 16-byte trace id and an 8-byte span id' });
      continue;
    }
    try {
      validateCall(call, 'span', now);
      pending.push({ span, call });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      rejected.push({ spanId: span.spanId, reason: `${String(err.details.field ?? '')}: ${err.message}` });
    }
  }
  if (pending.length > MAX_BATCH_CALLS) throw new DomainError('BAD_USER_INPUT', `At most ${MAX_BATCH_CALLS} GenAI spans per request (got ${pending.length}).`);
  for (let attempt = 1; pending.length > 0; attempt++) {
    try {
      await deps.metrics.recordCalls(
        scope,
        pending.map((p) => p.call),
      );
      return { recorded: pending.length, rejected };
    } catch (err) {
      const field = err instanceof DomainError ? String(err.details.field ?? '') : '';
      const index = /^inputs\.(\d+)\./.exec(field);
      // A refusal naming one span (unknown version, a repeat with other values): drop it and store the rest.
      if (!index || !(err instanceof DomainError) || attempt >= MAX_STORE_ATTEMPTS) {
        if (index && attempt >= MAX_STORE_ATTEMPTS) {
          for (const p of pending) rejected.push({ spanId: p.span.spanId, reason: 'not stored: too many refused spans in one request' });
          return { recorded: 0, rejected };
        }
        throw err;
      }
      const i = Number(index[1]);
      rejected.push({ spanId: pending[i]!.span.spanId, reason: `${field.replace(/^inputs\.\d+\./, '')}: ${err.message}` });
      pending = pending.filter((_, j) => j !== i);
    }
  }
  return { recorded: 0, rejected };
}

export function createOtlpRoute(deps: OtlpDeps) {
  return async function handleOtlp(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
    if (req.method !== 'POST') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use POST (OTLP/HTTP).', { allow: 'POST' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const protobuf = type === 'application/x-protobuf';
    if (!protobuf && type !== 'application/json')
      return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json or application/x-protobuf (OTLP/HTTP).');
    if (!/^Bearer\s+\S/i.test(req.headers.authorization ?? ''))
      return sendError(res, 401, 'UNAUTHENTICATED', 'OTLP export needs an API key with metrics:write: send "Authorization: Bearer <key>".', {
        'www-authenticate': 'Bearer',
      });
    let scope: RequestScope;
    try {
      scope = await deps.authenticate(req, requestId, req.socket.remoteAddress ?? 'unknown');
    } catch (err) {
      const known = httpErrorOf(err, 403);
      if (!known) throw err;
      return sendError(res, known.status, known.error.code, known.error.message, known.headers);
    }
    let body: Buffer;
    try {
      body = await readBodyBytes(req, MAX_BODY_BYTES);
      const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (encoding === 'gzip') body = await gunzipAsync(body, { maxOutputLength: MAX_BODY_BYTES });
      else if (encoding !== 'identity') return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding: gzip or none.');
    } catch (err) {
      if (err instanceof BodyTooLarge || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        return sendError(res, 413, 'BAD_REQUEST', `Request body larger than ${MAX_BODY_BYTES} bytes.`, { connection: 'close' });
      if ((err as { code?: string }).code?.startsWith('Z_')) return sendError(res, 400, 'BAD_REQUEST', 'The body is not valid gzip.');
      throw err;
    }
    let spans: OtlpSpan[];
    try {
      if (protobuf) spans = decodeProtobufSpans(body, MAX_SPANS);
      else {
        const raw = body.toString('utf8');
        if (jsonNestingExceeds(raw, MAX_JSON_NESTING)) return sendError(res, 400, 'BAD_REQUEST', `The body nests JSON deeper than ${MAX_JSON_NESTING} levels.`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          return sendError(res, 400, 'BAD_REQUEST', 'The body is not valid JSON.');
        }
        spans = decodeJsonSpans(parsed, MAX_SPANS);
      }
    } catch (err) {
      if (err instanceof DomainError) return sendError(res, 400, 'BAD_REQUEST', err.message);
      throw err;
    }
    let outcome: { recorded: number; rejected: Rejection[] };
    try {
      outcome = await storeCalls(deps, scope, spans);
    } catch (err) {
      deps.reportDbFailure?.(err, requestId);
      const known = httpErrorOf(err);
      if (!known) throw err;
      return sendError(res, known.status, known.error.code, known.error.message, known.headers);
    }
    const message = outcome.rejected
      .slice(0, 20)
      .map((r) => `span ${r.spanId}: ${r.reason}`)
      .join('; ');
    res.setHeader('x-recorded-calls', String(outcome.recorded));
    if (protobuf) {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      return void res.end(encodeProtobufResponse(outcome.rejected.length, message));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(outcome.rejected.length ? { partialSuccess: { rejectedSpans: String(outcome.rejected.length), errorMessage: message } } : {}));
  };
}
