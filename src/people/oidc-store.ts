/** SQL for started OIDC sign-ins (`oidc_logins`): stored under the SHA-256 of their state, used once. */
import { and, gt, isNull, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { oidcLogins } from '../db/schema';

export type PendingOidcLogin = { nonce: string; codeVerifier: string };

export async function insertOidcLogin(db: Executor, stateHash: string, login: PendingOidcLogin): Promise<void> {
  await db.insert(oidcLogins).values({ state: stateHash, nonce: login.nonce, codeVerifier: login.codeVerifier });
}

/** Marks the sign-in used and returns it, or null when it is unknown, already used or older than `maxAgeMs`: one winner even under a race. */
export async function consumeOidcLogin(db: Executor, stateHash: string, maxAgeMs: number): Promise<PendingOidcLogin | null> {
  const [row] = await db
    .update(oidcLogins)
    .set({ usedAt: sql`now()` })
    .where(and(eq(oidcLogins.state, stateHash), isNull(oidcLogins.usedAt), gt(oidcLogins.createdAt, sql`now() - make_interval(secs => ${maxAgeMs / 1000})`)))
    .returning({ nonce: oidcLogins.nonce, codeVerifier: oidcLogins.codeVerifier });
  return row ?? null;
}

/** Forgets sign-ins started before `before` (finished or abandoned). */
export async function purgeOidcLogins(db: Executor, before: Date): Promise<number> {
  const rows = await db.delete(oidcLogins).where(lt(oidcLogins.createdAt, before)).returning({ state: oidcLogins.state });
  return rows.length;
}
