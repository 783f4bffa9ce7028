import { useEffect, useState } from 'react';

/**
 * The account routes behind the signed-out pages (/auth/*, JSON in and out, the session cookie set by
 * the server): what an invitation link is for, accepting it, asking for and using a reset link.
 */

/** GET /auth/config: what the signed-out pages offer (SSO when OIDC is set up, the password rules, whether "forgot your password?" mails a link). */
export type AuthConfig = {
  sso: { startUrl: string } | null;
  selfServicePasswordReset: boolean;
  passwordRules: { minLength: number; maxLength: number };
};
export type Failure = { ok: false; status: number; code: string; message: string; field?: string };
type Result<T> = ({ ok: true } & T) | Failure;

async function post<T>(path: string, body: unknown): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, status: 0, code: 'NETWORK', message: 'The server cannot be reached. Check your connection, then try again.' };
  }
  const json = (await res.json().catch(() => null)) as (T & { error?: { code?: string; message?: string; field?: string } }) | null;
  if (res.ok) return { ok: true, ...(json as T) };
  const error = json?.error;
  return { ok: false, status: res.status, code: error?.code ?? 'ERROR', message: error?.message ?? `The server answered ${res.status}.`, field: error?.field };
}

export async function fetchAuthConfig(): Promise<AuthConfig> {
  const fallback: AuthConfig = { sso: null, selfServicePasswordReset: false, passwordRules: { minLength: 12, maxLength: 256 } };
  try {
    const r = await fetch('/auth/config', { credentials: 'same-origin' });
    const c = r.ok ? ((await r.json()) as Partial<AuthConfig>) : {};
    return {
      sso: c.sso?.startUrl ? { startUrl: c.sso.startUrl } : null,
      selfServicePasswordReset: c.selfServicePasswordReset ?? false,
      passwordRules: c.passwordRules ?? fallback.passwordRules,
    };
  } catch {
    return fallback;
  }
}

export type InvitationInfo = {
  status: 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';
  email: string;
  role: string;
  workspace: { name: string };
  expiresAt: string;
};
export type Accepted = { user: { id: string; email: string; name: string }; workspace: { id: string }; role: string; newAccount: boolean };

export const describeInvitation = (token: string) => post<InvitationInfo>('/auth/invitation', { token });
export const acceptInvitation = (token: string, name?: string, password?: string) => post<Accepted>('/auth/accept-invitation', { token, name, password });
export const requestPasswordReset = (email: string) => post<{ ok: true }>('/auth/request-password-reset', { email });
export const resetPassword = (token: string, password: string) => post<{ user: { email: string } }>('/auth/reset-password', { token, password });

/** The token of an e-mailed link: in the fragment (`#token=…`, never sent to servers or logs) or, from older links, the query. */
export function linkToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  return fromHash || new URLSearchParams(location.search).get('token');
}

/** The link's token, following the address bar (a link pasted into an open tab only changes the fragment). */
export function useLinkToken(): string | null {
  const [token, setToken] = useState(linkToken);
  useEffect(() => {
    const follow = () => setToken(linkToken());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return token;
}
