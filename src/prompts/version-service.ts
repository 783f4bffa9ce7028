/**
 * Versions: insert-only, numbered 1, 2, 3… per prompt under the prompt's row lock (gap-free on any
 * number of instances), with the contract's defaults, a content hash, warnings and contract changes.
 */
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import type { Executor } from '../db/client';
import type { PromptRow, VersionRow } from '../db/schema';
import { BadInputError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertPageSize } from '../shared/pagination';
import { assertFiniteRange, assertIntRange, assertJson, assertLabelName, assertText, optionalText } from '../shared/validate';
import { prepareContent, variableContractChanges, type ContentInput } from './content-validation';
import type { PromptDeps } from './deps';
import { changeInTransaction } from '../shared/unit-of-work';
import { changeEvent } from './events';
import { assertCanMoveLabel, changeBy, moveLabelInTx } from './label-moves';
import { assertResponseFormat, assertTools, toolContractChanges } from './tool-schemas';
import { contentHashOf } from '../shared/content-hash';
import { bumpRevision, lockPrompt } from './prompt-store';
import { findVersion, insertVersionRow, latestVersion, versionByNumber as versionOfNumber, versionsPage } from './version-store';

export type NewVersionInput = ContentInput & {
  model?: string | null;
  temperature?: number | null;
  maxTokens?: number | null;
  config?: unknown;
  tools?: unknown;
  responseFormat?: unknown;
  message?: string | null;
  labels?: string[] | null;
};

const DEFAULT_TEMPERATURE = 0.7;
const DEFAULT_MAX_TOKENS = 1000;

export { contentHashOf } from '../shared/content-hash';

/** Inserts a version into a prompt already locked by the caller's transaction; raises the revision. */
export async function insertVersion(
  deps: PromptDeps,
  tx: Executor,
  scope: RequestScope,
  prompt: PromptRow,
  input: NewVersionInput,
  field: string,
): Promise<{ prompt: PromptRow; version: VersionRow }> {
  const content = await prepareContent(input, field, { exec: tx, workspaceId: prompt.workspaceId, promptName: prompt.name });
  const model = input.model == null ? deps.defaultModel : assertText(input.model, `${field}.model`, 200);
  if (!model.trim()) throw new BadInputError(`${field}.model`, 'model cannot be empty.');
  const temperature = input.temperature == null ? DEFAULT_TEMPERATURE : assertFiniteRange(input.temperature, `${field}.temperature`, 0, 2);
  const maxTokens = input.maxTokens == null ? DEFAULT_MAX_TOKENS : assertIntRange(input.maxTokens, `${field}.maxTokens`, 1, 1_000_000);
  let config: Record<string, unknown> | null = null;
  if (input.config != null) {
    if (typeof input.config !== 'object' || Array.isArray(input.config)) throw new BadInputError(`${field}.config`, 'config must be a JSON object.');
    config = assertJson(input.config, `${field}.config`) as Record<string, unknown>;
  }
  const tools = assertTools(input.tools, `${field}.tools`);
  const responseFormat = assertResponseFormat(input.responseFormat, `${field}.responseFormat`);
  const message = optionalText(input.message, `${field}.message`, 2000);
  const labelNames = [...new Set((input.labels ?? []).map((l, i) => assertLabelName(l, `${field}.labels.${i}`)))];

  const previous = await latestVersion(tx, prompt.id);
  const number = prompt.versionCount + 1;
  const row = {
    promptId: prompt.id,
    workspaceId: prompt.workspaceId,
    number,
    ...content.row,
    model,
    temperature,
    maxTokens,
    config,
    tools,
    responseFormat,
    message,
    warnings: content.warnings,
    contractChanges: previous
      ? [...variableContractChanges(previous.variables, content.row.variables), ...toolContractChanges(previous, { tools, responseFormat })]
      : [],
    createdById: scope.principal.id,
    createdByName: scope.principal.name,
  };
  // The caller's prompt lock serializes numbering; the index is the backstop if a writer skipped it (insertVersionRow maps it).
  const version = await insertVersionRow(tx, { ...row, contentHash: contentHashOf(row) }, prompt.name);
  const after = await bumpRevision(tx, prompt.id, { versionCount: number });
  const actor = actorOf(scope.principal);
  // The first version becomes production; requested labels follow (protected ones need the right).
  const targets = number === 1 && !labelNames.includes('production') ? ['production', ...labelNames] : labelNames;
  for (const label of targets) {
    const automatic = number === 1 && label === 'production';
    // A label under an A/B test is the test's to move (as with setLabel): the label policy says.
    if (!automatic) {
      await assertCanMoveLabel(tx, scope, label); // permission first: a denied caller learns nothing of the test
      await deps.labelPolicy.assertMayMove(tx, after, label);
    }
    await moveLabelInTx(tx, changeBy(scope), after, label, version, { reason: automatic ? 'first version' : message });
  }
  await writeAudit(tx, {
    workspaceId: prompt.workspaceId,
    action: 'version.create',
    actor,
    targetType: 'version',
    targetId: version.id,
    target: `${prompt.name}#${number}`,
    after: { number, contentHash: version.contentHash, labels: targets },
    requestId: scope.requestId,
  });
  return { prompt: after, version: version };
}

export async function createVersion(
  deps: PromptDeps,
  scope: RequestScope,
  input: NewVersionInput & { promptName: string; expectedRevision?: number | null },
): Promise<VersionRow> {
  assertCan(scope.principal, 'prompt:write');
  return changeInTransaction(deps, async (tx, emit) => {
    const locked = await lockPrompt(tx, scope.principal.workspaceId, input.promptName, input.expectedRevision);
    const { prompt, version } = await insertVersion(deps, tx, scope, locked, input, 'input');
    emit('PROMPT_CHANGED', changeEvent(prompt, 'VERSION_CREATED', actorOf(scope.principal), { versionId: version.id }));
    return version;
  });
}

export async function getVersion(deps: PromptDeps, scope: RequestScope, id: string): Promise<VersionRow | null> {
  assertCan(scope.principal, 'prompt:read');
  return findVersion(deps.db, scope.principal.workspaceId, id);
}

export async function listVersions(
  deps: PromptDeps,
  promptId: string,
  first: number | null | undefined,
  after: number | null | undefined,
): Promise<VersionRow[]> {
  return versionsPage(deps.db, promptId, assertPageSize(first), after ?? null);
}

export async function versionByNumber(deps: PromptDeps, promptId: string, number: number): Promise<VersionRow | null> {
  return versionOfNumber(deps.db, promptId, number);
}
