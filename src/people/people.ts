/** The people domain, assembled: sessions, the combined authenticator, the person lookup for personal keys. */
import type { KeyService } from '../auth/key-service';
import type { PeopleConfig } from '../config';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { EventBus } from '../pubsub/event-bus';
import { createRateLimiter } from '../ratelimit/rate-limiter';
import type { CookiePolicy } from './cookies';
import { createAuthenticator, createPersonLookup } from './credentials';
import { ensureFirstPerson } from './first-person';
import { createOidcService } from './oidc-service';
import type { OriginPolicy } from './origins';
import { createInvitationService } from './invitation-service';
import { createMailer } from './mailer';
import { createMemberService } from './member-service';
import { createPasswordResetService } from './password-reset-service';
import { createSessionService } from './session-service';
import { membershipsOfUser } from './user-store';

export type PeopleDeps = {
  db: Db;
  logger: Logger;
  bus: EventBus;
  config: PeopleConfig;
  redisUrl: string | null;
  persons: ReturnType<typeof createPersonLookup>;
};

const RESET_REQUESTS_PER_EMAIL = 5;

export type People = Awaited<ReturnType<typeof createPeople>>;

export async function createPeople(deps: PeopleDeps, keys: KeyService) {
  const { db, logger, bus, config } = deps;
  const log = logger.child({ module: 'people' });
  const accountLimiter = createRateLimiter({
    name: 'sign-in-account',
    max: config.signIn.accountLimit,
    windowMs: config.signIn.windowMs,
    redisUrl: deps.redisUrl,
    logger: log,
  });
  const addressLimiter = createRateLimiter({
    name: 'sign-in-address',
    max: config.signIn.addressLimit,
    windowMs: config.signIn.windowMs,
    redisUrl: deps.redisUrl,
    logger: log,
  });
  const sessions = createSessionService({
    db,
    logger: log,
    bus,
    idleMs: config.sessionIdleMs,
    maxAgeMs: config.sessionMaxAgeMs,
    accountLimiter,
    addressLimiter,
  });
  const cookies: CookiePolicy = { secure: config.publicUrl?.startsWith('https://') ?? false };
  const origins: OriginPolicy = { publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins };

  const mailer = createMailer(config.smtp, log);
  const members = createMemberService({ db, bus, sessions });
  const invitations = createInvitationService({ db, logger: log, sessions, members, mailer, ttlMs: config.invitationTtlMs });
  // Self-service reset requests: a few per address and per email in the sign-in window (each one sends a mail).
  const resetRequestLimiter = {
    email: createRateLimiter({
      name: 'reset-request-email',
      max: RESET_REQUESTS_PER_EMAIL,
      windowMs: config.signIn.windowMs,
      redisUrl: deps.redisUrl,
      logger: log,
    }),
    address: createRateLimiter({
      name: 'reset-request-address',
      max: config.signIn.addressLimit,
      windowMs: config.signIn.windowMs,
      redisUrl: deps.redisUrl,
      logger: log,
    }),
  };
  const passwordResets = createPasswordResetService({
    db,
    sessions,
    mailer,
    ttlMs: config.passwordResetTtlMs,
    publicUrl: config.publicUrl,
    requestLimiter: resetRequestLimiter,
    logger: log,
  });

  if (config.admin) await ensureFirstPerson(db, log, config.admin);

  /** Without ADMIN_EMAIL, while nobody has an account: log a one-time set-up link (once the address is known). */
  async function announceSetupLink(baseUrl: string): Promise<void> {
    if (config.admin) return;
    const token = await invitations.createSetupToken();
    if (token) log.warn(`Nobody has an account yet: open ${baseUrl}/setup#token=${token} to create the first one (valid 24 h, one use; shown once)`);
  }

  // Another instance ended sessions or changed a membership: cached rights here go at once.
  await bus.listen('SESSIONS_REVOKED', (e) => sessions.evictUser(e.userId));
  await bus.listen('MEMBERSHIP_CHANGED', (e) => {
    sessions.evictUser(e.userId);
    deps.persons.evict(e.userId);
  });
  bus.onResync(() => {
    sessions.clearCache();
    deps.persons.clear();
  });

  return {
    sessions,
    cookies,
    origins,
    authenticate: createAuthenticator(keys, sessions),
    /** Single sign-on, when OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
    oidc: config.oidc ? createOidcService({ db, logger: log, config: config.oidc, sessions, addressLimiter }) : null,
    members,
    invitations,
    passwordResets,
    announceSetupLink,
    membershipsOf: (userId: string) => membershipsOfUser(db, userId),
    close: async () => {
      mailer?.close();
      await Promise.all([accountLimiter.close(), addressLimiter.close(), resetRequestLimiter.email.close(), resetRequestLimiter.address.close()]);
    },
  };
}
