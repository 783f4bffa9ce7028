/**
 * The session cookie (pure): httpOnly, SameSite=Lax, Path=/; Secure and `__Host-` prefixed when the
 * service is reached over https (PUBLIC_URL), as OWASP's session cheat sheet recommends. The short
 * SSO cookie that binds a started OIDC sign-in to its browser follows the same policy.
 */
export type CookiePolicy = { secure: boolean };

export function sessionCookieName(policy: CookiePolicy): string {
  return policy.secure ? '__Host-pm_session' : 'pm_session';
}

export function oidcCookieName(policy: CookiePolicy): string {
  return policy.secure ? '__Host-pm_oidc' : 'pm_oidc';
}

function serializeCookie(policy: CookiePolicy, name: string, value: string, maxAgeSeconds: number): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (policy.secure) parts.push('Secure');
  return parts.join('; ');
}

export function serializeSessionCookie(policy: CookiePolicy, token: string, maxAgeSeconds: number): string {
  return serializeCookie(policy, sessionCookieName(policy), token, maxAgeSeconds);
}

export function clearSessionCookie(policy: CookiePolicy): string {
  return serializeSessionCookie(policy, '', 0);
}

export function serializeOidcCookie(policy: CookiePolicy, state: string, maxAgeSeconds: number): string {
  return serializeCookie(policy, oidcCookieName(policy), state, maxAgeSeconds);
}

export function clearOidcCookie(policy: CookiePolicy): string {
  return serializeOidcCookie(policy, '', 0);
}

/** The value of one cookie from a Cookie header, or null. */
export function cookieValue(cookieHeader: string | string[] | undefined, name: string): string | null {
  const header = Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** The session token from a Cookie header, or null. Only our cookie name counts. */
export function sessionTokenFrom(cookieHeader: string | string[] | undefined, policy: CookiePolicy): string | null {
  return cookieValue(cookieHeader, sessionCookieName(policy));
}
