/**
 * The session cookie (pure): httpOnly, SameSite=Lax, Path=/; Secure and `__Host-` prefixed when the
 * service is reached over https (PUBLIC_URL), as OWASP's session cheat sheet recommends.
 */
export type CookiePolicy = { secure: boolean };

export function sessionCookieName(policy: CookiePolicy): string {
  return policy.secure ? '__Host-pm_session' : 'pm_session';
}

export function serializeSessionCookie(policy: CookiePolicy, token: string, maxAgeSeconds: number): string {
  const parts = [`${sessionCookieName(policy)}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (policy.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearSessionCookie(policy: CookiePolicy): string {
  return serializeSessionCookie(policy, '', 0);
}

/** The session token from a Cookie header, or null. Only our cookie name counts. */
export function sessionTokenFrom(cookieHeader: string | string[] | undefined, policy: CookiePolicy): string | null {
  const header = Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader;
  if (!header) return null;
  const name = sessionCookieName(policy);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
