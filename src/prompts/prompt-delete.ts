/**
 * deletePrompt: for a sync that removes prompts (`prompt-service push` after a file is deleted). ADMIN only,
 * with the name typed again; the prompt, its versions, labels, history and A/B tests go, the audit log keeps
 * the record (with the last state), and subscribers get a PROMPT_DELETED event.
 */
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import { BadInputError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import type { PromptDeps } from './deps';
import { changeInTransaction } from '../shared/unit-of-work';
import { changeEvent } from './events';
import { purgePrompt } from './prompt-delete-store';
import { lockPrompt } from './prompt-store';

export async function deletePrompt(
  deps: PromptDeps,
  scope: RequestScope,
  name: string,
  confirmName: string,
  expectedRevision?: number | null,
): Promise<boolean> {
  assertCan(scope.principal, 'prompt:delete');
  if (confirmName !== name) throw new BadInputError('confirmName', 'confirmName must repeat the prompt name exactly.');
  const actor = actorOf(scope.principal);
  return changeInTransaction(deps, async (tx, emit) => {
    const prompt = await lockPrompt(tx, scope.principal.workspaceId, name, expectedRevision);
    const { versions } = await purgePrompt(tx, prompt.id);
    const before = {
      name: prompt.name,
      description: prompt.description,
      tags: prompt.tags,
      revision: prompt.revision,
      versions,
      archivedAt: prompt.archivedAt,
    };
    await writeAudit(tx, {
      workspaceId: prompt.workspaceId,
      action: 'prompt.delete',
      actor,
      targetType: 'prompt',
      targetId: prompt.id,
      target: prompt.name,
      before,
      after: null,
      requestId: scope.requestId,
    });
    emit('PROMPT_CHANGED', changeEvent({ ...prompt, revision: prompt.revision + 1 }, 'PROMPT_DELETED', actor));
    return true;
  });
}
