/**
 * People in tests: a `Browser` is one person's cookie jar over plain HTTP (fetch plus the cookies it
 * was given), sending the Origin a browser would send. `signIn(server, email, password)` returns one
 * that is signed in; `browser.gql(...)` / `browser.ok(...)` run GraphQL with its session cookie.
 */
import type { GqlResponse } from './graphql';
import type { TestServer } from './server';

/** The first person of test servers started with `withAdminPerson()`. */
export const ADMIN_PERSON = { email: 'Admin.Person@example.com', password: 'a-long-test-password-9' };

/** Env for startServer / usePostgresServer: ADMIN_EMAIL + ADMIN_PASSWORD. */
export function withAdminPerson(extra: Record<string, string> = {}): Record<string, string> {
  return { ADMIN_EMAIL: ADMIN_PERSON.email, ADMIN_PASSWORD: ADMIN_PERSON.password, ...extra };
}

export function baseUrlOf(server: { url: string }): string {
  return server.url.replace(/\/graphql$/, '');
}

export type HttpResult = { status: number; body: any; headers: Headers };

export class Browser {
  readonly cookies = new Map<string, string>();
  /** The Origin header sent with every request (null: none, like a non-browser client). */
  origin: string | null;
  constructor(
    readonly base: string,
    origin?: string | null,
  ) {
    this.origin = origin === undefined ? base : origin;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const maxAge = attrs.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('max-age='));
      if (!value || maxAge === 'max-age=0') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    path: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string>; redirect?: 'manual' | 'follow' } = {},
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {
      ...(this.origin ? { origin: this.origin } : {}),
      ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
      ...init.headers,
    };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path.startsWith('http') ? path : `${this.base}${path}`, {
      method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
      redirect: init.redirect ?? 'manual',
    });
    this.keep(res.headers);
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON (a redirect or a page) */
    }
    return { status: res.status, body, headers: res.headers };
  }

  async signIn(email: string, password: string): Promise<HttpResult> {
    return this.request('/auth/sign-in', { json: { email, password } });
  }

  async gql<T = any>(query: string, variables?: Record<string, unknown>, options: { workspaceId?: string } = {}): Promise<GqlResponse<T>> {
    const r = await this.request('/graphql', { json: { query, variables }, headers: options.workspaceId ? { 'x-workspace-id': options.workspaceId } : {} });
    if (typeof r.body !== 'object') return { status: r.status, errors: [{ message: `non-JSON response: ${String(r.body).slice(0, 200)}` }] };
    return {
      status: r.status,
      data: r.body.data ?? undefined,
      errors: r.body.errors ?? (r.body.error ? [{ message: r.body.error.message, extensions: { code: r.body.error.code } }] : undefined),
    };
  }

  async ok<T = any>(query: string, variables?: Record<string, unknown>, options: { workspaceId?: string } = {}): Promise<T> {
    const r = await this.gql<T>(query, variables, options);
    if (r.errors?.length || !r.data)
      throw new Error(`operation failed:\n${query}\nvariables: ${JSON.stringify(variables)}\nresponse (${r.status}): ${JSON.stringify(r.errors ?? r)}`);
    return r.data;
  }

  async fails(query: string, variables: Record<string, unknown> | undefined, code: string, options: { workspaceId?: string } = {}) {
    const r = await this.gql(query, variables, options);
    const err = r.errors?.[0];
    if (!err || err.extensions?.code !== code) throw new Error(`expected ${code}:\n${query}\nresponse (${r.status}): ${JSON.stringify(r.errors ?? r.data)}`);
    return err;
  }
}

/** A new cookie jar signed in as this person (fails the test when sign-in does not answer 200). */
export async function signIn(server: { url: string }, email: string, password: string): Promise<Browser> {
  const browser = new Browser(baseUrlOf(server));
  const r = await browser.signIn(email, password);
  if (r.status !== 200) throw new Error(`sign-in of ${email} failed (${r.status}): ${JSON.stringify(r.body)}`);
  return browser;
}

export async function signInAdmin(server: TestServer): Promise<Browser> {
  return signIn(server, ADMIN_PERSON.email, ADMIN_PERSON.password);
}

import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client that authenticates like a browser: the jar's cookies and an Origin on the upgrade. */
export function cookieWsClient(
  browser: Browser,
  options: { origin?: string | null; workspaceId?: string; onClose?: (code: number, reason: string) => void } = {},
): Client {
  const origin = options.origin === undefined ? browser.origin : options.origin;
  const headers: Record<string, string> = { cookie: browser.cookieHeader(), ...(origin ? { origin } : {}) };
  class BrowserSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  return createClient({
    url: `${browser.base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: BrowserSocket,
    connectionParams: options.workspaceId ? { workspaceId: options.workspaceId } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (e) => options.onClose?.((e as { code: number }).code, (e as { reason: string }).reason) },
  });
}

/** The token in an invitation, reset or set-up link (it sits in the URL fragment). */
export function tokenOf(link: string): string {
  const token = /#token=([A-Za-z0-9_-]+)$/.exec(link)?.[1];
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

/** `inviter` (an ADMIN's jar) invites `email` with `role`; the person accepts without an account and comes back signed in. */
export async function invitePerson(
  inviter: Browser,
  person: { email: string; name: string; password: string },
  role: 'VIEWER' | 'EDITOR' | 'PUBLISHER' | 'ADMIN',
  options: { workspaceId?: string } = {},
): Promise<{ browser: Browser; userId: string; invitationId: string }> {
  const created = (
    await inviter.ok(
      'mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { acceptUrl invitation { id } } }',
      { e: person.email, r: role },
      options,
    )
  ).inviteMember;
  const browser = new Browser(inviter.base);
  const r = await browser.request('/auth/accept-invitation', { json: { token: tokenOf(created.acceptUrl), name: person.name, password: person.password } });
  if (r.status !== 200) throw new Error(`accepting the invitation of ${person.email} failed (${r.status}): ${JSON.stringify(r.body)}`);
  return { browser, userId: r.body.user.id, invitationId: created.invitation.id };
}
