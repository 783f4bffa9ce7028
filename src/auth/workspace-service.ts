/** Workspaces: creation by an instance admin (with the new workspace's first ADMIN key) and its protected labels. */
import type { Db, Tx } from '../db/client';
import type { ApiKeyRow, WorkspaceRow } from '../db/schema';
import { BadInputError, ForbiddenError } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { LATEST_LABEL } from '../shared/labels';
import type { RequestScope } from '../shared/request-scope';
import { assertLabelName, assertText } from '../shared/validate';
import { insertKey } from './key-store';
import { generateKey } from './keys';
import { assertCan } from './permissions';
import { actorOf } from './principal';
import { findWorkspace, insertWorkspace, protectedLabelsOf, updateProtectedLabels } from './workspace-store';

/** A person who creates a workspace joins it as ADMIN (people/ implements it), in the creating transaction. */
export type WorkspaceCreatorJoin = (tx: Tx, workspaceId: string, userId: string) => Promise<void>;

export type WorkspaceServiceDeps = { db: Db; keyEnv: string; joinCreator?: WorkspaceCreatorJoin };

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

export function createWorkspaceService(deps: WorkspaceServiceDeps) {
  const { db } = deps;

  async function createWorkspace(scope: RequestScope, rawName: string): Promise<{ workspace: WorkspaceRow; key: string; keyRow: ApiKeyRow }> {
    if (!scope.principal.isInstanceAdmin) throw new ForbiddenError('Only an instance admin may create workspaces.');
    const name = assertText(rawName.trim(), 'name', 100);
    if (!name) throw new BadInputError('name', 'A workspace needs a name.');
    const k = generateKey(deps.keyEnv);
    return db.transaction(async (tx) => {
      const workspace = await insertWorkspace(tx, { name });
      const keyRow = await insertKey(tx, {
        workspaceId: workspace.id,
        name: `${name} admin`,
        keyId: k.keyId,
        prefix: k.prefix,
        secretHash: k.secretHash,
        role: 'ADMIN',
        createdById: scope.principal.id,
        createdByName: scope.principal.name,
      });
      const entry = {
        action: 'workspace.create',
        actor: actorOf(scope.principal),
        targetType: 'workspace',
        targetId: workspace.id,
        target: name,
        after: { id: workspace.id, name },
        requestId: scope.requestId,
      };
      await writeAudit(tx, { ...entry, workspaceId: scope.principal.workspaceId });
      await writeAudit(tx, { ...entry, workspaceId: workspace.id });
      if (scope.principal.user) await deps.joinCreator?.(tx, workspace.id, scope.principal.user.id);
      return { workspace, key: k.key, keyRow };
    });
  }

  async function setProtectedLabels(scope: RequestScope, labels: string[]): Promise<WorkspaceRow> {
    assertCan(scope.principal, 'workspace:manage');
    if (labels.length > 50) throw new BadInputError('labels', 'At most 50 protected labels.');
    const wanted = [...new Set(labels.map((l, i) => assertLabelName(l, `labels.${i}`)))];
    if (wanted.includes(LATEST_LABEL)) throw new BadInputError('labels', '"latest" is implicit and cannot be protected.');
    return db.transaction(async (tx) => {
      const before = await findWorkspace(tx, scope.principal.workspaceId, true);
      const after = await updateProtectedLabels(tx, scope.principal.workspaceId, wanted);
      await writeAudit(tx, {
        workspaceId: after.id,
        action: 'workspace.protectedLabels',
        actor: actorOf(scope.principal),
        targetType: 'workspace',
        targetId: after.id,
        target: after.name,
        before: { protectedLabels: before!.protectedLabels },
        after: { protectedLabels: wanted },
        requestId: scope.requestId,
      });
      return after;
    });
  }

  /** The labels of the caller's workspace that only some roles may move (any caller may know which). */
  async function protectedLabels(scope: RequestScope): Promise<string[]> {
    return protectedLabelsOf(db, scope.principal.workspaceId);
  }

  return { createWorkspace, setProtectedLabels, protectedLabels };
}
