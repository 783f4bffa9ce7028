/**
 * Which browser origins may send cookie-authenticated state changes and open cookie-authenticated
 * WebSockets (pure). With PUBLIC_URL set: its origin plus ALLOWED_ORIGINS. Without it: the origin of
 * the Host the request was sent to (the same-origin check OWASP describes when no proxy rewrites Host).
 */
export type OriginPolicy = { publicUrl: string | null; allowedOrigins: string[] };

export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** The request's Origin header, else the origin of its Referer (some browsers omit Origin on same-origin requests). */
export function requestOrigin(headers: { origin?: string | string[]; referer?: string | string[] }): string | null {
  const origin = Array.isArray(headers.origin) ? headers.origin[0] : headers.origin;
  if (origin && origin !== 'null') return originOf(origin);
  const referer = Array.isArray(headers.referer) ? headers.referer[0] : headers.referer;
  return referer ? originOf(referer) : null;
}

export function isAllowedOrigin(policy: OriginPolicy, origin: string | null, host: string | undefined): boolean {
  if (!origin) return false;
  if (policy.publicUrl) return originOf(policy.publicUrl) === origin || policy.allowedOrigins.includes(origin);
  if (policy.allowedOrigins.includes(origin)) return true;
  return !!host && (origin === `http://${host}` || origin === `https://${host}`);
}

/** The base URL for links we hand out (invitations, resets, set-up): PUBLIC_URL, else the request's Host. */
export function publicBaseUrl(policy: OriginPolicy, host: string | undefined): string {
  if (policy.publicUrl) return policy.publicUrl.replace(/\/+$/, '');
  return `http://${host ?? 'localhost'}`;
}
