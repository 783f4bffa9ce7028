/**
 * People's session over the /auth/* routes (httpOnly cookie set by the server; the page never sees it)
 * and `me`, read before the GraphQL client exists to decide between the sign-in page and the app.
 */
import { stringifyDocument } from '@urql/core';
import type { MeQuery as MeResult } from '../gql/graphql';
import { MeQuery } from './documents';

export type Me = MeResult['me'];

export type MeOutcome = { kind: 'signed-in'; me: Me } | { kind: 'signed-out' } | { kind: 'forbidden' } | { kind: 'error'; message: string };

export async function fetchMe(workspaceId: string | null): Promise<MeOutcome> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...(workspaceId ? { 'x-workspace-id': workspaceId } : {}) },
      body: JSON.stringify({ query: stringifyDocument(MeQuery) }),
    });
  } catch {
    return { kind: 'error', message: 'The server cannot be reached. Check your connection, then retry.' };
  }
  const body = (await res.json().catch(() => null)) as { data?: { me: Me }; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  const code = body?.errors?.[0]?.extensions?.code;
  if (code === 'UNAUTHENTICATED') return { kind: 'signed-out' };
  if (code === 'FORBIDDEN') return { kind: 'forbidden' };
  if (body?.data?.me) return { kind: 'signed-in', me: body.data.me };
  return { kind: 'error', message: body?.errors?.[0]?.message ?? `The server answered ${res.status}. Retry in a moment.` };
}

export type SignInResult = { ok: true } | { ok: false; message: string };

export async function signIn(email: string, password: string): Promise<SignInResult> {
  let res: Response;
  try {
    res = await fetch('/auth/sign-in', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    return { ok: false, message: 'The server cannot be reached. Check your connection, then try again.' };
  }
  if (res.ok) return { ok: true };
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (res.status === 401) return { ok: false, message: 'Wrong email or password.' };
  if (res.status === 429) return { ok: false, message: 'Too many attempts. Wait a few minutes, then try again.' };
  return { ok: false, message: body?.error?.message ?? `Sign-in failed (${res.status}).` };
}

export async function signOut(): Promise<void> {
  await fetch('/auth/sign-out', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
}
