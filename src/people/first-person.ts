/**
 * First start: with ADMIN_EMAIL and ADMIN_PASSWORD, the person is created as an instance admin and
 * ADMIN of the default workspace (once; a later start leaves the account alone). Without them, while
 * nobody has an account, each start logs a one-time set-up link valid 24 h (see invitation-service).
 */
import type { Db } from '../db/client';
import { ADVISORY_LOCKS, allowStartupTime, lockForTransaction } from '../db/locks';
import type { Logger } from '../logger';
import { writeAudit } from '../audit/audit-log';
import { assertAcceptablePassword, hashPassword } from './passwords';
import { defaultWorkspace, findUserByEmail, insertUser, upsertMembership } from './user-store';

export async function ensureFirstPerson(db: Db, logger: Logger, admin: { email: string; password: string }): Promise<void> {
  assertAcceptablePassword(admin.password, 'ADMIN_PASSWORD', { email: admin.email });
  const passwordHash = await hashPassword(admin.password);
  await db.transaction(async (tx) => {
    await allowStartupTime(tx);
    await lockForTransaction(tx, ADVISORY_LOCKS.firstPerson, 'ensureFirstPerson');
    if (await findUserByEmail(tx, admin.email)) return;
    const ws = await defaultWorkspace(tx);
    const name = admin.email.split('@')[0]!;
    const user = await insertUser(tx, { email: admin.email, name, passwordHash, isInstanceAdmin: true });
    await upsertMembership(tx, ws.id, user.id, 'ADMIN');
    await writeAudit(tx, {
      workspaceId: ws.id,
      action: 'user.create',
      actor: { id: null, name: 'system' },
      targetType: 'user',
      targetId: user.id,
      target: user.email,
      after: { email: user.email, role: 'ADMIN', isInstanceAdmin: true, via: 'ADMIN_EMAIL' },
    });
    logger.info({ userId: user.id }, 'created the first person (ADMIN_EMAIL) as an instance admin');
  });
}
