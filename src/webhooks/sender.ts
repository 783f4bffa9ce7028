/**
 * One HTTP attempt: POST to the address the SSRF guard just checked (the request's `lookup` returns
 * it, so no second resolution happens), a hard timeout, no redirects followed, the first 4 KB of the
 * response kept. Never throws: every failure is an outcome.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { RefusedTargetError, resolveTarget } from './ssrf-guard';

export const RESPONSE_BODY_LIMIT = 4096;

// Connections are reused between attempts to the same host (a new one connects to the address the
// guard just checked); the guard still resolves and checks the destination before every attempt.
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 30_000 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 32, timeout: 30_000 }),
};

export type SendResult = {
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  latencyMs: number;
  error: string | null;
};

export async function send(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let target;
  try {
    target = await resolveTarget(url, options.allowPrivate);
  } catch (err) {
    const msg = err instanceof RefusedTargetError ? `destination refused: ${err.message}` : `destination error: ${(err as Error).message}`;
    return { status: null, headers: null, body: null, latencyMs: elapsed(), error: msg };
  }
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
  const secure = target.url.protocol === 'https:';
  const lib = secure ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: elapsed() });
    };
    const req = lib.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: secure ? agents.https : agents.http,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const responseHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
        const done = () =>
          finish({
            status: res.statusCode ?? null,
            headers: responseHeaders,
            body: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT),
            error: null,
          });
        res.on('data', (c: Buffer) => {
          if (size < RESPONSE_BODY_LIMIT) chunks.push(c.subarray(0, RESPONSE_BODY_LIMIT - size));
          size += c.length;
          if (size >= RESPONSE_BODY_LIMIT) {
            done(); // enough kept: do not read (or wait for) the rest
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, headers: null, body: null, error: `timeout after ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ status: null, headers: null, body: null, error: `${err.code ?? 'error'}: ${err.message}` }));
    req.end(body);
  });
}
