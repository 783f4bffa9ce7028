/** Prompts: create (optionally with a first version), update metadata, archive, read and list. */
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import type { PromptRow } from '../db/schema';
import { BadInputError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertPageSize, decodeCursor, encodeCursor } from '../shared/pagination';
import { assertLabelName, assertPromptName, assertText, optionalText } from '../shared/validate';
import type { PromptDeps } from './deps';
import { changeInTransaction } from '../shared/unit-of-work';
import { changeEvent } from './events';
import { findPrompt, bumpRevision, insertPrompt, lockPrompt, promptsPage } from './prompt-store';
import { insertVersion, type NewVersionInput } from './version-service';
import type { PromptChangedPayload } from '../pubsub/topics';

const MAX_TAGS = 20;

function normalizeTags(tags: readonly string[] | null | undefined, field: string): string[] {
  if (!tags) return [];
  if (tags.length > MAX_TAGS) throw new BadInputError(field, `At most ${MAX_TAGS} tags.`);
  return [...new Set(tags.map((t, i) => assertLabelName(t, `${field}.${i}`)))];
}

function snapshot(p: PromptRow) {
  return { name: p.name, description: p.description, tags: p.tags, archivedAt: p.archivedAt, revision: p.revision };
}

export async function createPrompt(
  deps: PromptDeps,
  scope: RequestScope,
  input: { name: string; description?: string | null; tags?: string[] | null; version?: NewVersionInput | null },
): Promise<PromptRow> {
  assertCan(scope.principal, 'prompt:write');
  const name = assertPromptName(input.name, 'input.name');
  const description = optionalText(input.description, 'input.description', 2000);
  const tags = normalizeTags(input.tags, 'input.tags');
  const actor = actorOf(scope.principal);
  return changeInTransaction(deps, async (tx, emit) => {
    let prompt = await insertPrompt(tx, {
      workspaceId: scope.principal.workspaceId,
      name,
      description,
      tags,
      createdById: actor.id,
      createdByName: actor.name,
    });
    await writeAudit(tx, {
      workspaceId: prompt.workspaceId,
      action: 'prompt.create',
      actor,
      targetType: 'prompt',
      targetId: prompt.id,
      target: name,
      after: snapshot(prompt),
      requestId: scope.requestId,
    });
    emit('PROMPT_CHANGED', changeEvent(prompt, 'PROMPT_CREATED', actor));
    if (input.version) {
      const { prompt: after, version } = await insertVersion(deps, tx, scope, prompt, input.version, 'input.version');
      prompt = after;
      emit('PROMPT_CHANGED', changeEvent(prompt, 'VERSION_CREATED', actor, { versionId: version.id }));
    }
    return prompt;
  });
}

export async function updatePrompt(
  deps: PromptDeps,
  scope: RequestScope,
  name: string,
  input: { description?: string | null; tags?: string[] | null; expectedRevision?: number | null },
  present: { description: boolean; tags: boolean },
): Promise<PromptRow> {
  assertCan(scope.principal, 'prompt:write');
  const changes: Partial<PromptRow> = {};
  if (present.description) changes.description = optionalText(input.description, 'input.description', 2000);
  if (present.tags) {
    if (input.tags === null) throw new BadInputError('input.tags', 'tags cannot be null; pass [] to clear them.');
    changes.tags = normalizeTags(input.tags, 'input.tags');
  }
  return mutatePrompt(deps, scope, name, input.expectedRevision, 'prompt.update', 'PROMPT_UPDATED', () => changes);
}

export async function setArchived(
  deps: PromptDeps,
  scope: RequestScope,
  name: string,
  archived: boolean,
  expectedRevision?: number | null,
): Promise<PromptRow> {
  assertCan(scope.principal, 'prompt:write');
  return mutatePrompt(
    deps,
    scope,
    name,
    expectedRevision,
    archived ? 'prompt.archive' : 'prompt.unarchive',
    archived ? 'PROMPT_ARCHIVED' : 'PROMPT_UPDATED',
    (p) => {
      if (archived === (p.archivedAt !== null)) return null; // idempotent: nothing changes, no revision
      return { archivedAt: archived ? new Date() : null };
    },
  );
}

async function mutatePrompt(
  deps: PromptDeps,
  scope: RequestScope,
  name: string,
  expectedRevision: number | null | undefined,
  action: string,
  kind: PromptChangedPayload['kind'],
  change: (p: PromptRow) => Partial<PromptRow> | null,
): Promise<PromptRow> {
  const actor = actorOf(scope.principal);
  return changeInTransaction(deps, async (tx, emit) => {
    const before = await lockPrompt(tx, scope.principal.workspaceId, name, expectedRevision);
    const changes = change(before);
    if (!changes) return before;
    const after = await bumpRevision(tx, before.id, changes);
    await writeAudit(tx, {
      workspaceId: after.workspaceId,
      action,
      actor,
      targetType: 'prompt',
      targetId: after.id,
      target: after.name,
      before: snapshot(before),
      after: snapshot(after),
      requestId: scope.requestId,
    });
    emit('PROMPT_CHANGED', changeEvent(after, kind, actor));
    return after;
  });
}

export async function getPrompt(deps: PromptDeps, scope: RequestScope, name: string): Promise<PromptRow | null> {
  assertCan(scope.principal, 'prompt:read');
  if (typeof name !== 'string' || name.length > 128) return null;
  return findPrompt(deps.db, scope.principal.workspaceId, name);
}

export type PromptFilter = { search?: string | null; tag?: string | null; folder?: string | null; includeArchived?: boolean | null };

export async function listPrompts(
  deps: PromptDeps,
  scope: RequestScope,
  filter: PromptFilter,
  first: number | null | undefined,
  after: string | null | undefined,
) {
  assertCan(scope.principal, 'prompt:read');
  const limit = assertPageSize(first);
  const { rows, totalCount } = await promptsPage(
    deps.db,
    {
      workspaceId: scope.principal.workspaceId,
      includeArchived: !!filter.includeArchived,
      search: filter.search ? assertText(filter.search, 'filter.search', 200) : null,
      tag: filter.tag ? assertLabelName(filter.tag, 'filter.tag') : null,
      folder: filter.folder ? assertText(filter.folder, 'filter.folder', 128).replace(/\/+$/, '') : null,
    },
    after ? decodeCursor(after, 'prompt', 1)[0]! : null,
    limit + 1,
  );
  const nodes = rows.slice(0, limit);
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor('prompt', [node.name]), node })),
    pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.length ? encodeCursor('prompt', [nodes[nodes.length - 1]!.name]) : null },
    totalCount,
  };
}
