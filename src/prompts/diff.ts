/** versionDiff: a unified diff of the template (via the `diff` library) and every other changed field. */
import { createTwoFilesPatch } from 'diff';
import { assertCan } from '../auth/permissions';
import type { VersionRow } from '../db/schema';
import { NotFoundError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertUuid } from '../shared/validate';
import type { PromptDeps } from './deps';
import { findVersion } from './version-store';

/** The text a version's template diff is computed on; CHAT messages become `[ROLE]` blocks. */
export function diffableText(v: VersionRow): string {
  if (v.type === 'TEXT') return v.template ?? '';
  return (v.messages ?? []).map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
}

const COMPARED_FIELDS = ['type', 'systemMessage', 'variables', 'model', 'temperature', 'maxTokens', 'config', 'tools', 'responseFormat', 'message'] as const;

export function diffVersions(from: VersionRow, to: VersionRow) {
  const templateDiff = createTwoFilesPatch(`v${from.number}`, `v${to.number}`, diffableText(from), diffableText(to), undefined, undefined, { context: 3 });
  const changes: { field: string; from: unknown; to: unknown }[] = COMPARED_FIELDS.filter(
    (f) => JSON.stringify(from[f] ?? null) !== JSON.stringify(to[f] ?? null),
  ).map((field) => ({
    field,
    from: from[field] ?? null,
    to: to[field] ?? null,
  }));
  if (from.type === 'CHAT' || to.type === 'CHAT') {
    if (JSON.stringify(from.messages) !== JSON.stringify(to.messages)) changes.push({ field: 'messages', from: from.messages, to: to.messages });
  }
  return { from, to, templateDiff, changes };
}

export async function versionDiff(deps: PromptDeps, scope: RequestScope, fromId: string, toId: string) {
  assertCan(scope.principal, 'prompt:read');
  const [from, to] = await Promise.all([
    findVersion(deps.db, scope.principal.workspaceId, assertUuid(fromId, 'fromVersionId')),
    findVersion(deps.db, scope.principal.workspaceId, assertUuid(toId, 'toVersionId')),
  ]);
  if (!from) throw new NotFoundError('No version with id fromVersionId.');
  if (!to) throw new NotFoundError('No version with id toVersionId.');
  return diffVersions(from, to);
}
