/**
 * SSO in tests: a real oidc-provider process (helpers/oidc-provider-process.mjs) and the provider's
 * side of a browser: its own cookie jar (names and paths, as the provider scopes its cookies), every
 * redirect followed by hand until the provider sends the browser back to the app's callback.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { Browser } from './people';

export type OidcAccount = { email?: string; email_verified?: boolean; name?: string };
export type OidcProviderProcess = { issuer: string; output: () => string; stop(): Promise<void> };

export const OIDC_CLIENT = { id: 'prompt-service', secret: 'test-client-secret-0123456789' };

/** A free loopback port (the app's, which the provider must know as its redirect URI before either starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startOidcProvider(redirectUri: string, accounts: Record<string, OidcAccount>, port = 0): Promise<OidcProviderProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'oidc-provider-process.mjs')], {
    env: {
      PATH: process.env.PATH ?? '',
      OIDC_TEST_CLIENT: JSON.stringify({ client_id: OIDC_CLIENT.id, client_secret: OIDC_CLIENT.secret, redirect_uris: [redirectUri] }),
      OIDC_TEST_ACCOUNTS: JSON.stringify(accounts),
      OIDC_TEST_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`OIDC provider did not start:\n${out}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`OIDC provider exited:\n${out}`)));
  });
  return {
    issuer,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

type Cookie = { name: string; value: string; path: string };

/** The provider-side cookie jar of one browser. */
export class ProviderAgent {
  private cookies: Cookie[] = [];

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private keep(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const attr = (key: string) => attrs.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const cookiePath = attr('path') ?? url.pathname.replace(/\/[^/]*$/, '') ?? '/';
      const expires = attr('expires');
      const gone = !value || attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) <= Date.now());
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === cookiePath));
      if (!gone) this.cookies.push({ name, value, path: cookiePath });
    }
  }

  async request(href: string, form?: Record<string, string>): Promise<{ status: number; location: string | null; body: string }> {
    const url = new URL(href);
    const cookie = this.cookieHeader(url);
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
    });
    this.keep(url, res.headers);
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location, url).href : null, body: await res.text() };
  }
}

/**
 * Starts SSO at the app with `browser`'s cookies, signs `accountId` in at the provider and returns
 * the callback URL the provider redirects back to (not yet visited, so a test can replay or alter it).
 * `cancel`: the person cancels at the provider instead; `start`: the start URL (default /auth/oidc/start).
 */
export async function ssoToCallback(
  browser: Browser,
  agent: ProviderAgent,
  accountId: string,
  options: { cancel?: boolean; start?: string } = {},
): Promise<string> {
  const started = await browser.request(options.start ?? '/auth/oidc/start');
  if (started.status !== 302) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`);
  let next = new URL(started.headers.get('location')!, browser.base).href;
  for (let hop = 0; hop < 12; hop++) {
    if (next.startsWith(`${browser.base}/`)) return next;
    let r = await agent.request(next);
    if (r.status === 200 && /\/interaction\/[^/]+$/.test(new URL(next).pathname)) {
      r = options.cancel ? await agent.request(`${next}/abort`, {}) : await agent.request(`${next}/login`, { login: accountId });
    }
    if (!r.location) throw new Error(`provider answered ${r.status} at ${next}: ${r.body.slice(0, 300)}`);
    next = r.location;
  }
  throw new Error('too many redirects at the provider');
}
