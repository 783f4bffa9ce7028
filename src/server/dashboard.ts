/**
 * The dashboard's static files (built by Vite into dashboard/dist) at /ui/; `/` redirects there.
 * Hashed assets (/ui/assets/*) are cached for a year as immutable; index.html is never cached, so a
 * new build is picked up at the next load. Every answer carries a strict Content-Security-Policy:
 * scripts, styles and connections from this origin only (nothing from a CDN, no inline script).
 * Any other path under /ui/ that is not a file answers index.html (client-side routes, deep links).
 */
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { send } from './http';

/** The policy of every answer; index.html adds a fresh nonce for the editor's generated styles (see below). */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // GraphiQL's stylesheet embeds its fonts as data: URLs (woff2); nothing is fetched from elsewhere.
  "font-src 'self' data:",
  // 'self' covers same-origin ws:/wss: in CSP 3; the GraphQL endpoint and /auth/* are same-origin.
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.txt']);
const IMMUTABLE = 'public, max-age=31536000, immutable';

type Asset = { body: Buffer; gzipped: Buffer | null; type: string };

export type DashboardHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;

/** Answers true when it handled the request (`/`, `/ui`, `/ui/…`). `dir` is the build output. */
export function createDashboardHandler(dir: string): DashboardHandler {
  const root = path.resolve(dir);
  // Hashed assets never change under their name: held once read.
  const held = new Map<string, Asset>();

  async function load(file: string): Promise<Asset | null> {
    const ext = path.extname(file).toLowerCase();
    try {
      const body = await readFile(file);
      return { body, gzipped: COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body) : null, type: TYPES[ext] ?? 'application/octet-stream' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return null;
      throw err;
    }
  }

  function write(req: http.IncomingMessage, res: http.ServerResponse, asset: Asset, cacheControl: string, extra: Record<string, string> = {}): void {
    const gzip = asset.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzipped! : asset.body;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': asset.type,
      'cache-control': cacheControl,
      'content-length': String(body.length),
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...extra,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return async function handle(req, res, url) {
    if (url.pathname === '/') {
      res.writeHead(302, { location: '/ui/' });
      res.end();
      return true;
    }
    if (url.pathname !== '/ui' && !url.pathname.startsWith('/ui/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'Use GET.' } }, { allow: 'GET, HEAD' });
      return true;
    }
    if (url.pathname === '/ui') {
      res.writeHead(301, { location: '/ui/' });
      res.end();
      return true;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.slice('/ui/'.length));
    } catch {
      send(res, 400, { error: { code: 'BAD_REQUEST', message: 'Malformed path.' } });
      return true;
    }
    const file = path.resolve(root, relative);
    // Nothing outside the build folder, whatever the path says.
    if (file !== root && !file.startsWith(root + path.sep)) {
      send(res, 404, { error: { code: 'NOT_FOUND', message: 'Not found.' } });
      return true;
    }
    if (relative.startsWith('assets/')) {
      const asset = held.get(file) ?? (await load(file));
      if (!asset) {
        send(res, 404, { error: { code: 'NOT_FOUND', message: 'No such asset (the dashboard may have been rebuilt: reload the page).' } });
        return true;
      }
      held.set(file, asset);
      write(req, res, asset, IMMUTABLE);
      return true;
    }
    const direct = relative && !relative.endsWith('/') && relative !== 'index.html' ? await load(file) : null;
    if (direct) {
      write(req, res, direct, 'no-cache');
      return true;
    }
    const index = await load(path.join(root, 'index.html'));
    if (!index) {
      send(res, 503, { error: { code: 'UNAVAILABLE', message: 'The dashboard is not built: run `npm run build` (or `npm start`).' } });
      return true;
    }
    // CodeMirror writes its theme into <style> elements: a nonce fresh for each load lets exactly those in
    // (never 'unsafe-inline'); the page reads it from the meta tag and hands it to the editor (cspNonce).
    const nonce = randomBytes(18).toString('base64');
    const html = index.body.toString('utf8').replace('<head>', `<head>\n    <meta name="csp-nonce" content="${nonce}" />`);
    write(req, res, { body: Buffer.from(html), gzipped: null, type: index.type }, 'no-store', {
      'content-security-policy': DASHBOARD_CSP.replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`),
    });
    return true;
  };
}
