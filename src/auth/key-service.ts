/**
 * API keys: authentication (with a short-lived per-instance cache so revocation reaches every
 * instance within seconds), key creation and revocation, and the start-up bootstrap of the default
 * workspace and first admin key. Workspaces themselves (creation, protected labels): workspace-service.ts.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client';
import { ADVISORY_LOCKS, allowStartupTime, lockForTransaction } from '../db/locks';
import type { ApiKeyRow } from '../db/schema';
import { BadInputError, ForbiddenError, NotFoundError } from '../errors';
import { bearerToken, keyFailure } from './key-failures';
import type { Logger } from '../logger';
import { writeAudit } from '../audit/audit-log';
import { assertText } from '../shared/validate';
import { anyKeyExists, insertKey, keyByKeyId, keysOfWorkspace, lockKey, recordKeyUse, revokeKey, upsertEnvAdminKey } from './key-store';
import { generateKey, hashSecret, parseKey, secretMatches } from './keys';
import { assertCan, can, ROLES, SCOPES, type Role, type Scope } from './permissions';
import { actorOf, type Principal, type PrincipalUser } from './principal';
import type { RequestScope } from '../shared/request-scope';
import type { EventBus } from '../pubsub/event-bus';
import { isDbUnavailable } from '../db/failures';
import { findDefaultWorkspace, insertWorkspace } from './workspace-store';

const ENV_ADMIN_KEY_ID = 'env-admin';
const CACHE_TTL_MS = 5_000;
const LAST_USED_THROTTLE_MS = 60_000;

/** A person's current name and role in a workspace (people/ implements it), for their own keys. */
export type PersonLookup = (userId: string, workspaceId: string) => Promise<{ user: PrincipalUser; role: Role } | null>;

export type KeyServiceDeps = {
  db: Db;
  logger: Logger;
  keyEnv: string;
  adminApiKey: string | null;
  bus?: EventBus;
  personOf?: PersonLookup;
};

const roleRank = (r: Role) => ROLES.indexOf(r);

export type KeyService = ReturnType<typeof createKeyService>;

export function createKeyService(deps: KeyServiceDeps) {
  const { db, logger } = deps;
  const cache = new Map<string, { row: ApiKeyRow; at: number }>();

  async function loadKey(keyId: string): Promise<ApiKeyRow | null> {
    const hit = cache.get(keyId);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.row;
    let row: ApiKeyRow | null;
    try {
      row = await keyByKeyId(db, keyId);
    } catch (err) {
      // While the database cannot answer, a key it vouched for keeps working (cached resolves go on serving); a
      // revocation, which needs the database, evicts it on every instance (KEY_REVOKED).
      if (hit && isDbUnavailable(err)) return hit.row;
      throw err;
    }
    if (row) cache.set(keyId, { row, at: Date.now() });
    else cache.delete(keyId);
    return row;
  }

  function touch(row: ApiKeyRow): void {
    const now = Date.now();
    if (row.lastUsedAt && now - row.lastUsedAt.getTime() < LAST_USED_THROTTLE_MS) return;
    row.lastUsedAt = new Date(now);
    recordKeyUse(db, row.id, row.lastUsedAt).catch((err: unknown) => logger.warn({ err: String(err) }, 'could not record lastUsedAt'));
  }

  function isEnvAdmin(token: string): boolean {
    if (!deps.adminApiKey) return false;
    const a = Buffer.from(token, 'utf8');
    const b = Buffer.from(deps.adminApiKey, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Bearer token → principal. A failure is UNAUTHENTICATED saying why (key-failures.ts: no oracle for guessers). */
  async function authenticate(authorization: string | null | undefined): Promise<Principal> {
    const bearer = bearerToken(authorization);
    if ('failure' in bearer) throw keyFailure(bearer.failure);
    const { token } = bearer;
    let row: ApiKeyRow | null;
    if (isEnvAdmin(token)) {
      row = await loadKey(ENV_ADMIN_KEY_ID);
      if (row && row.secretHash !== hashSecret(token)) row = null;
    } else {
      const parsed = parseKey(token); // checksum first: a mistyped key costs no database read
      row = parsed ? await loadKey(parsed.keyId) : null;
      if (row && !secretMatches(parsed!.secret, row.secretHash)) row = null;
    }
    // Past this point the secret matched: telling revoked and expired apart reveals nothing to a guesser.
    if (!row) throw keyFailure('UNKNOWN_KEY');
    if (row.revokedAt) throw keyFailure('KEY_REVOKED');
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) throw keyFailure('KEY_EXPIRED');
    touch(row);
    if (!row.userId) return principalOf(row);
    // A person's own key: never more than the person's role now; nothing once they left the workspace.
    const person = await deps.personOf?.(row.userId, row.workspaceId);
    if (!person) throw keyFailure('KEY_REVOKED'); // its person left the workspace
    const role = row.role && roleRank(row.role) <= roleRank(person.role) ? row.role : person.role;
    return { ...principalOf(row), role, isInstanceAdmin: false, user: person.user };
  }

  /** Creates the default workspace and the first admin key when missing. Safe on several instances. */
  async function bootstrap(opts: { openUrl?: string } = {}): Promise<void> {
    await db.transaction(async (tx) => {
      await allowStartupTime(tx);
      await lockForTransaction(tx, ADVISORY_LOCKS.bootstrap, 'bootstrap');
      let ws = await findDefaultWorkspace(tx);
      if (!ws) {
        ws = await insertWorkspace(tx, { name: 'default', isDefault: true });
        logger.info({ workspaceId: ws.id }, 'created the default workspace');
      }
      const workspaceId = ws.id;
      if (deps.adminApiKey) {
        const secretHash = hashSecret(deps.adminApiKey);
        await upsertEnvAdminKey(tx, {
          workspaceId,
          name: 'admin (ADMIN_API_KEY)',
          keyId: ENV_ADMIN_KEY_ID,
          prefix: 'ADMIN_API_KEY',
          secretHash,
          role: 'ADMIN',
          isInstanceAdmin: true,
          createdByName: 'system',
        });
        return;
      }
      if (await anyKeyExists(tx)) return;
      const k = generateKey(deps.keyEnv);
      await insertKey(tx, {
        workspaceId,
        name: 'first admin',
        keyId: k.keyId,
        prefix: k.prefix,
        secretHash: k.secretHash,
        role: 'ADMIN',
        isInstanceAdmin: true,
        createdByName: 'system',
      });
      // Logged once, on purpose: it is the only way to reach a fresh server that has no ADMIN_API_KEY.
      logger.warn(
        `No API key existed: created the first admin key ${k.key} (shown once; store it now)${opts.openUrl ? `. Open ${opts.openUrl} and sign in with it` : ''}`,
      );
    });
  }

  async function createApiKey(
    scope: RequestScope,
    input: { name: string; role?: Role | null; scopes?: string[] | null; expiresAt?: Date | null; personal?: boolean | null },
  ): Promise<{ key: string; row: ApiKeyRow }> {
    const person = scope.principal.user ?? null;
    // A person's keys are their own by default (capped at their role, named after them in history).
    const personal = person ? input.personal !== false : false;
    if (input.personal && !person) throw new BadInputError('input.personal', 'Only a signed-in person has personal keys.');
    if (!personal) assertCan(scope.principal, 'key:manage');
    const name = assertText(input.name.trim(), 'input.name', 100);
    if (!name) throw new BadInputError('input.name', 'A key needs a name.');
    const hasScopes = input.scopes != null && input.scopes.length > 0;
    if (input.role && hasScopes) throw new BadInputError('input.scopes', 'Give either a role or scopes, not both.');
    if (!input.role && !hasScopes) throw new BadInputError('input.role', "Give a role (a person's key) or scopes (a service key).");
    if (input.role && !ROLES.includes(input.role)) throw new BadInputError('input.role', 'Unknown role.');
    const scopes = [...new Set(input.scopes ?? [])];
    scopes.forEach((s, i) => {
      if (!(SCOPES as readonly string[]).includes(s))
        throw new BadInputError(`input.scopes.${i}`, `Unknown scope "${s.slice(0, 50)}"; use one of ${SCOPES.join(', ')}.`);
    });
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new BadInputError('input.expiresAt', 'expiresAt must be in the future.');
    if (personal) {
      if (!input.role)
        throw new BadInputError(
          'input.role',
          'A personal key carries a role (at most yours); service keys with scopes are workspace keys (personal: false, ADMIN).',
        );
      if (!scope.principal.role || roleRank(input.role) > roleRank(scope.principal.role))
        throw new ForbiddenError(`A personal key cannot exceed your own role (${scope.principal.role ?? 'none'}).`);
    }
    const k = generateKey(deps.keyEnv);
    const row = await db.transaction(async (tx) => {
      const created = await insertKey(tx, {
        workspaceId: scope.principal.workspaceId,
        name,
        keyId: k.keyId,
        prefix: k.prefix,
        secretHash: k.secretHash,
        role: input.role ?? null,
        scopes: scopes as Scope[],
        expiresAt: input.expiresAt ?? null,
        userId: personal ? person!.id : null,
        createdById: scope.principal.id,
        createdByName: scope.principal.name,
      });
      await writeAudit(tx, {
        workspaceId: scope.principal.workspaceId,
        action: 'apiKey.create',
        actor: actorOf(scope.principal),
        targetType: 'apiKey',
        targetId: created.id,
        target: name,
        after: publicKey(created),
        requestId: scope.requestId,
      });
      return created;
    });
    return { key: k.key, row };
  }

  async function revokeApiKey(scope: RequestScope, id: string): Promise<ApiKeyRow> {
    const admin = can(scope.principal, 'key:manage');
    if (!admin && !scope.principal.user) assertCan(scope.principal, 'key:manage');
    const row = await db.transaction(async (tx) => {
      const current = await lockKey(tx, scope.principal.workspaceId, id);
      // A person who is not an ADMIN sees only their own keys: another's is as if it did not exist.
      if (!current || (!admin && current.userId !== scope.principal.user?.id)) throw new NotFoundError('No API key with this id.');
      if (current.revokedAt) return current; // idempotent
      const updated = await revokeKey(tx, id);
      await writeAudit(tx, {
        workspaceId: scope.principal.workspaceId,
        action: 'apiKey.revoke',
        actor: actorOf(scope.principal),
        targetType: 'apiKey',
        targetId: id,
        target: current.name,
        before: publicKey(current),
        after: publicKey(updated),
        requestId: scope.requestId,
      });
      return updated;
    });
    cache.delete(row.keyId);
    // Other instances evict at once; if this message is lost, their cache entry expires within CACHE_TTL_MS.
    void deps.bus?.publish('KEY_REVOKED', { workspaceId: row.workspaceId, keyId: row.id });
    return row;
  }

  /** Drops a key from this instance's cache by its id (api_keys.id), e.g. on a KEY_REVOKED event. */
  function evictById(id: string): void {
    for (const [keyId, hit] of cache) if (hit.row.id === id) cache.delete(keyId);
  }

  async function listApiKeys(scope: RequestScope): Promise<ApiKeyRow[]> {
    const mine = !can(scope.principal, 'key:manage') && scope.principal.user ? scope.principal.user.id : undefined;
    if (!mine) assertCan(scope.principal, 'key:manage');
    return keysOfWorkspace(db, scope.principal.workspaceId, mine);
  }

  return {
    authenticate,
    bootstrap,
    createApiKey,
    revokeApiKey,
    listApiKeys,
    evictById,
    clearCache: () => cache.clear(),
  };
}

export function principalOf(row: ApiKeyRow): Principal {
  return { id: row.id, name: row.name, workspaceId: row.workspaceId, role: row.role, scopes: row.scopes as Scope[], isInstanceAdmin: row.isInstanceAdmin };
}

/** What the audit log may keep of a key: never the hash or secret. */
function publicKey(row: ApiKeyRow) {
  return { id: row.id, name: row.name, prefix: row.prefix, role: row.role, scopes: row.scopes, expiresAt: row.expiresAt, revokedAt: row.revokedAt };
}
