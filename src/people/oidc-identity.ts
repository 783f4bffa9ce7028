/**
 * What an identity from the OIDC provider may do here (pure): who it is, and whether it may sign in
 * as an existing person or become a new one. Linking by email and creating an account both need an
 * email the provider says it verified: an unverified address would let anyone claim any account.
 */
import type { UserRow } from '../db/schema';

/** A refusal code and the sentence the refusal page shows. */
export type OidcRefusalCode =
  | 'OIDC_NOT_CONFIGURED'
  | 'OIDC_UNAVAILABLE'
  | 'OIDC_RATE_LIMITED'
  | 'OIDC_STATE_INVALID'
  | 'OIDC_PROVIDER_ERROR'
  | 'OIDC_EXCHANGE_FAILED'
  | 'OIDC_EMAIL_MISSING'
  | 'OIDC_EMAIL_UNVERIFIED'
  | 'OIDC_DOMAIN_NOT_ALLOWED'
  | 'OIDC_IDENTITY_CONFLICT';

export class OidcRefusal extends Error {
  constructor(
    readonly code: OidcRefusalCode,
    message: string,
    readonly email: string | null = null,
    readonly userId: string | null = null,
    /** Seconds to wait, for OIDC_RATE_LIMITED. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'OidcRefusal';
  }
}

export const OIDC_REFUSAL_STATUS: Record<OidcRefusalCode, number> = {
  OIDC_NOT_CONFIGURED: 404,
  OIDC_UNAVAILABLE: 503,
  OIDC_RATE_LIMITED: 429,
  OIDC_STATE_INVALID: 400,
  OIDC_PROVIDER_ERROR: 400,
  OIDC_EXCHANGE_FAILED: 400,
  OIDC_EMAIL_MISSING: 403,
  OIDC_EMAIL_UNVERIFIED: 403,
  OIDC_DOMAIN_NOT_ALLOWED: 403,
  OIDC_IDENTITY_CONFLICT: 403,
};

export type OidcIdentity = { issuer: string; subject: string; email: string | null; emailVerified: boolean; name: string | null };

export type OidcDecision =
  | { kind: 'signIn'; user: UserRow }
  | { kind: 'link'; user: UserRow }
  | { kind: 'create'; email: string; name: string }
  | { kind: 'refuse'; refusal: OidcRefusal };

/** Reads the claims the provider vouched for (ID token, completed by userinfo). */
export function identityFrom(issuer: string, claims: Record<string, unknown>): OidcIdentity {
  const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email.trim().slice(0, 320) : null;
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : null;
  // Some providers send the boolean as a string.
  const emailVerified = claims.email_verified === true || claims.email_verified === 'true';
  return { issuer, subject: String(claims.sub), email, emailVerified, name };
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * bySubject: the person this provider identity already signed in as; byEmail: the person with the
 * identity's email. allowedDomains: who may be created (empty: nobody new).
 */
export function decideOidcSignIn(identity: OidcIdentity, bySubject: UserRow | null, byEmail: UserRow | null, allowedDomains: string[]): OidcDecision {
  if (bySubject) return { kind: 'signIn', user: bySubject };
  const { email } = identity;
  const refuse = (code: OidcRefusal['code'], message: string, userId: string | null = null): OidcDecision => ({
    kind: 'refuse',
    refusal: new OidcRefusal(code, message, email, userId),
  });
  if (!email) return refuse('OIDC_EMAIL_MISSING', 'Your identity provider did not share an email address, so we cannot tell who you are here.');
  if (!identity.emailVerified) return refuse('OIDC_EMAIL_UNVERIFIED', `Your identity provider has not verified ${email}; verify it there and try again.`);
  if (byEmail) {
    if (byEmail.oidcSubject) {
      return refuse('OIDC_IDENTITY_CONFLICT', `The account of ${email} is linked to another single sign-on identity.`, byEmail.id);
    }
    return { kind: 'link', user: byEmail };
  }
  const domain = emailDomain(email);
  if (!allowedDomains.includes(domain)) {
    return refuse(
      'OIDC_DOMAIN_NOT_ALLOWED',
      `People with an @${domain} address cannot create an account here with single sign-on. Ask an administrator for an invitation.`,
    );
  }
  return { kind: 'create', email, name: identity.name ?? email.slice(0, email.lastIndexOf('@')) };
}
