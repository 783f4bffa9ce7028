/**
 * The expected role × operation table (API.md "Principal" and README "Roles"), and one sample call of
 * every root field. test/security/authorization.test.ts iterates the schema: a field missing here fails.
 */
export const PRINCIPALS = ['VIEWER', 'EDITOR', 'PUBLISHER', 'ADMIN', 'prompts:read', 'prompts:resolve', 'metrics:write', 'labels:protected'] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

const ROLES: PrincipalName[] = ['VIEWER', 'EDITOR', 'PUBLISHER', 'ADMIN'];
export const READ: PrincipalName[] = [...ROLES, 'prompts:read', 'labels:protected'];
const RESOLVE: PrincipalName[] = [...ROLES, 'prompts:resolve'];
const METRICS_READ: PrincipalName[] = [...ROLES, 'prompts:read'];
export const WRITE: PrincipalName[] = ['EDITOR', 'PUBLISHER', 'ADMIN'];
export const MOVE: PrincipalName[] = [...WRITE, 'labels:protected'];
export const PUBLISH: PrincipalName[] = ['PUBLISHER', 'ADMIN', 'labels:protected'];
export const PUBLISHER_UP: PrincipalName[] = ['PUBLISHER', 'ADMIN'];
const INGEST: PrincipalName[] = [...WRITE, 'metrics:write'];
const ADMIN: PrincipalName[] = ['ADMIN'];
/** Alerts are read by every role (not by service scopes). */
const ALERT_READ: PrincipalName[] = [...ROLES];

/** `Type.field`, or `Type.field#case` for a second sample with other arguments. */
export const EXPECTED_ALLOWED: Record<string, PrincipalName[]> = {
  'Query.me': [...PRINCIPALS],
  'Query.prompts': READ,
  'Query.prompt': READ,
  'Query.version': READ,
  'Query.versionDiff': READ,
  'Query.resolvePrompt': RESOLVE,
  'Query.renderVersion': RESOLVE,
  'Query.validateTemplate': READ,
  'Query.abTest': READ,
  'Query.metrics': METRICS_READ,
  'Query.modelPrices': METRICS_READ,
  'Query.auditLog': ADMIN,
  'Query.apiKeys': ADMIN,
  'Query.clientPrompts': RESOLVE,
  'Query.promptRevisions': [...READ, 'prompts:resolve'],
  'Mutation.createPrompt': WRITE,
  'Mutation.updatePrompt': WRITE,
  'Mutation.archivePrompt': WRITE,
  'Mutation.unarchivePrompt': WRITE,
  'Mutation.deletePrompt': ADMIN,
  'Mutation.createVersion': WRITE,
  'Mutation.createVersion#protected': PUBLISHER_UP,
  'Mutation.setLabel': MOVE,
  'Mutation.setLabel#protected': PUBLISH,
  'Mutation.removeLabel': MOVE,
  'Mutation.rollback': PUBLISHER_UP,
  'Mutation.startABTest': PUBLISHER_UP,
  'Mutation.updateABTest': PUBLISHER_UP,
  'Mutation.stopABTest': PUBLISHER_UP,
  'Mutation.recordCall': INGEST,
  'Mutation.recordCalls': INGEST,
  'Mutation.recordFeedback': INGEST,
  'Mutation.setModelPrice': ADMIN,
  'Mutation.createApiKey': ADMIN,
  'Mutation.revokeApiKey': ADMIN,
  'Mutation.setProtectedLabels': ADMIN,
  // Instance admins only: no key of a workspace, not even its ADMIN.
  'Mutation.createWorkspace': [],
  // A signed-in person's own sessions and password: no key has any (people's rights: test/suites/people-*.ts).
  'Query.sessions': [],
  'Mutation.changePassword': [],
  'Mutation.revokeSession': [],
  // Members, invitations and reset links: ADMIN; accepting an invitation needs a signed-in person (no key).
  'Query.members': ADMIN,
  'Query.invitations': ADMIN,
  'Mutation.inviteMember': ADMIN,
  'Mutation.resendInvitation': ADMIN,
  'Mutation.revokeInvitation': ADMIN,
  'Mutation.acceptInvitation': [],
  'Mutation.setMemberRole': ADMIN,
  'Mutation.removeMember': ADMIN,
  'Mutation.createPasswordResetLink': ADMIN,
  'Subscription.promptChanged': [...READ, 'prompts:resolve'],
  'Subscription.metricsUpdated': METRICS_READ,
  'Subscription.abTestUpdated': READ,
  'Query.webhooks': ADMIN,
  'Query.webhook': ADMIN,
  'Query.alerts': ALERT_READ,
  'Mutation.createWebhook': ADMIN,
  'Mutation.updateWebhook': ADMIN,
  'Mutation.deleteWebhook': ADMIN,
  'Mutation.rotateWebhookSecret': ADMIN,
  'Mutation.testWebhook': ADMIN,
  'Mutation.redeliverWebhook': ADMIN,
  'Mutation.redeliverFailedWebhooks': ADMIN,
  'Mutation.createAlert': ADMIN,
  'Mutation.deleteAlert': ADMIN,
  'Subscription.alertUpdated': ALERT_READ,
  // The fleet view: read with prompts:read; reported by whatever resolves prompts (the client library's key).
  'Query.fleet': METRICS_READ,
  'Mutation.reportClientState': RESOLVE,
};

const MISSING = '00000000-0000-4000-8000-000000000000';

/** What a sample needs from the fixture; `n` makes names unique per call. */
export type Fixture = { promptName: string; v1: string; v2: string; abTestId: string; keyToRevoke: () => string; callId: string; n: () => number };

export type Sample = { query: string; variables?: Record<string, unknown> };

export const SAMPLES: Record<string, (f: Fixture) => Sample> = {
  'Query.me': () => ({ query: '{ me { id } }' }),
  'Query.prompts': () => ({ query: '{ prompts { totalCount } }' }),
  'Query.prompt': (f) => ({ query: 'query($n: String!) { prompt(name: $n) { id } }', variables: { n: f.promptName } }),
  'Query.version': (f) => ({ query: 'query($v: ID!) { version(id: $v) { id } }', variables: { v: f.v1 } }),
  'Query.versionDiff': (f) => ({
    query: 'query($a: ID!, $b: ID!) { versionDiff(fromVersionId: $a, toVersionId: $b) { templateDiff } }',
    variables: { a: f.v1, b: f.v2 },
  }),
  'Query.resolvePrompt': (f) => ({ query: 'query($n: String!) { resolvePrompt(name: $n, variables: { x: "1" }) { text } }', variables: { n: f.promptName } }),
  'Query.renderVersion': (f) => ({ query: 'query($v: ID!) { renderVersion(versionId: $v, variables: { x: "1" }) { text } }', variables: { v: f.v2 } }),
  'Query.validateTemplate': () => ({ query: '{ validateTemplate(template: "hi {{x}}") { valid } }' }),
  'Query.abTest': (f) => ({ query: 'query($id: ID!) { abTest(id: $id) { id } }', variables: { id: f.abTestId } }),
  'Query.metrics': (f) => ({ query: 'query($n: String) { metrics(filter: { promptName: $n }) { totalCalls } }', variables: { n: f.promptName } }),
  'Query.modelPrices': () => ({ query: '{ modelPrices { model } }' }),
  'Query.auditLog': () => ({ query: '{ auditLog(first: 1) { totalCount } }' }),
  'Query.apiKeys': () => ({ query: '{ apiKeys { id } }' }),
  'Query.clientPrompts': (f) => ({ query: 'query($n: String!) { clientPrompts(names: [$n]) { __typename } }', variables: { n: f.promptName } }),
  'Query.promptRevisions': (f) => ({ query: 'query($n: String!) { promptRevisions(names: [$n]) { __typename } }', variables: { n: f.promptName } }),
  'Mutation.createPrompt': (f) => ({ query: 'mutation($n: String!) { createPrompt(input: { name: $n }) { id } }', variables: { n: `made-${f.n()}` } }),
  'Mutation.updatePrompt': (f) => ({
    query: 'mutation($n: String!) { updatePrompt(name: $n, input: { description: "d" }) { id } }',
    variables: { n: f.promptName },
  }),
  'Mutation.archivePrompt': (f) => ({ query: 'mutation($n: String!) { archivePrompt(name: $n) { id } }', variables: { n: f.promptName } }),
  'Mutation.unarchivePrompt': (f) => ({ query: 'mutation($n: String!) { unarchivePrompt(name: $n) { id } }', variables: { n: f.promptName } }),
  // A name with no prompt: the allowed role gets NOT_FOUND, and the fixture survives.
  'Mutation.deletePrompt': () => ({ query: 'mutation { deletePrompt(name: "never-made", confirmName: "never-made") }' }),
  'Mutation.createVersion': (f) => ({
    query: 'mutation($n: String!) { createVersion(input: { promptName: $n, template: "hi {{x}}" }) { id } }',
    variables: { n: f.promptName },
  }),
  'Mutation.createVersion#protected': (f) => ({
    query: 'mutation($n: String!) { createVersion(input: { promptName: $n, template: "hi {{x}}", labels: ["production"] }) { id } }',
    variables: { n: f.promptName },
  }),
  'Mutation.setLabel': (f) => ({
    query: 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "qa", versionId: $v) { id } }',
    variables: { n: f.promptName, v: f.v1 },
  }),
  'Mutation.setLabel#protected': (f) => ({
    query: 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v) { id } }',
    variables: { n: f.promptName, v: f.v1 },
  }),
  'Mutation.removeLabel': (f) => ({ query: 'mutation($n: String!) { removeLabel(promptName: $n, label: "staging") { id } }', variables: { n: f.promptName } }),
  'Mutation.rollback': (f) => ({
    query: 'mutation($n: String!, $v: ID!) { rollback(promptName: $n, versionId: $v) { id } }',
    variables: { n: f.promptName, v: f.v1 },
  }),
  'Mutation.startABTest': (f) => ({
    query: 'mutation($n: String!, $a: ID!, $b: ID!) { startABTest(input: { promptName: $n, label: "canary", versionA: $a, versionB: $b }) { id } }',
    variables: { n: f.promptName, a: f.v1, b: f.v2 },
  }),
  'Mutation.updateABTest': (f) => ({
    query: 'mutation($id: ID!, $a: ID!, $b: ID!) { updateABTest(id: $id, variants: [{ versionId: $a, weight: 40 }, { versionId: $b, weight: 60 }]) { id } }',
    variables: { id: f.abTestId, a: f.v1, b: f.v2 },
  }),
  'Mutation.stopABTest': (f) => ({ query: 'mutation($id: ID!) { stopABTest(id: $id) { id } }', variables: { id: f.abTestId } }),
  'Mutation.recordCall': (f) => ({
    query: 'mutation($v: ID!, $c: String) { recordCall(input: { versionId: $v, callId: $c, latencyMs: 12, success: true }) { callId } }',
    variables: { v: f.v1, c: `call-${f.n()}` },
  }),
  'Mutation.recordCalls': (f) => ({
    query: 'mutation($v: ID!, $c: String) { recordCalls(inputs: [{ versionId: $v, callId: $c, latencyMs: 12, success: true }]) { callId } }',
    variables: { v: f.v1, c: `call-${f.n()}` },
  }),
  'Mutation.recordFeedback': (f) => ({ query: 'mutation($c: ID!) { recordFeedback(callId: $c, score: 0.5) }', variables: { c: f.callId } }),
  'Mutation.setModelPrice': (f) => ({
    query: 'mutation($m: String!) { setModelPrice(model: $m, inputPerMillion: 1, outputPerMillion: 2) { model } }',
    variables: { m: `model-${f.n()}` },
  }),
  'Mutation.createApiKey': (f) => ({
    query: 'mutation($n: String!) { createApiKey(input: { name: $n, role: VIEWER }) { apiKey { id } } }',
    variables: { n: `key-${f.n()}` },
  }),
  'Mutation.revokeApiKey': (f) => ({ query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', variables: { id: f.keyToRevoke() } }),
  'Mutation.setProtectedLabels': () => ({ query: 'mutation { setProtectedLabels(labels: ["production"]) { id } }' }),
  'Query.sessions': () => ({ query: '{ sessions { id } }' }),
  'Mutation.changePassword': () => ({ query: 'mutation { changePassword(currentPassword: "a-long-password-1", newPassword: "a-long-password-2") }' }),
  'Mutation.revokeSession': () => ({ query: 'mutation { revokeSession(id: "00000000-0000-0000-0000-000000000000") { id } }' }),
  'Query.members': () => ({ query: '{ members { role } }' }),
  'Query.invitations': () => ({ query: '{ invitations { id } }' }),
  'Mutation.inviteMember': (f) => ({
    query: 'mutation($e: String!) { inviteMember(email: $e, role: VIEWER) { invitation { role status } } }',
    variables: { e: `invited-${f.n()}@example.com` },
  }),
  'Mutation.resendInvitation': () => ({ query: 'mutation($id: ID!) { resendInvitation(id: $id) { emailed } }', variables: { id: MISSING } }),
  'Mutation.revokeInvitation': () => ({ query: 'mutation($id: ID!) { revokeInvitation(id: $id) { id } }', variables: { id: MISSING } }),
  'Mutation.acceptInvitation': () => ({ query: 'mutation { acceptInvitation(token: "not-a-token") { id } }' }),
  'Mutation.setMemberRole': () => ({ query: 'mutation($id: ID!) { setMemberRole(userId: $id, role: EDITOR) { role } }', variables: { id: MISSING } }),
  'Mutation.removeMember': () => ({ query: 'mutation($id: ID!) { removeMember(userId: $id) { role } }', variables: { id: MISSING } }),
  'Mutation.createPasswordResetLink': () => ({ query: 'mutation($id: ID!) { createPasswordResetLink(userId: $id) }', variables: { id: MISSING } }),
  'Mutation.createWorkspace': (f) => ({ query: 'mutation($n: String!) { createWorkspace(name: $n) { workspace { id } } }', variables: { n: `ws-${f.n()}` } }),
  'Subscription.promptChanged': (f) => ({ query: 'subscription($n: String) { promptChanged(name: $n) { revision } }', variables: { n: f.promptName } }),
  'Subscription.metricsUpdated': (f) => ({
    query: 'subscription($n: String!) { metricsUpdated(promptName: $n) { __typename } }',
    variables: { n: f.promptName },
  }),
  'Subscription.abTestUpdated': (f) => ({ query: 'subscription($n: String) { abTestUpdated(promptName: $n) { id } }', variables: { n: f.promptName } }),
  // Webhooks and alerts: ids that do not exist (NOT_FOUND once authorized); the authorization comes first.
  'Query.webhooks': () => ({ query: '{ webhooks { id } }' }),
  'Query.webhook': () => ({ query: 'query($id: ID!) { webhook(id: $id) { id } }', variables: { id: MISSING } }),
  'Query.alerts': () => ({ query: '{ alerts { id } }' }),
  'Query.fleet': (f) => ({ query: 'query($n: String!) { fleet(promptName: $n) { currentRevision } }', variables: { n: f.promptName } }),
  'Mutation.reportClientState': (f) => ({
    query: 'mutation($i: ClientStateInput!) { reportClientState(input: $i) { prompts } }',
    variables: {
      i: { service: 'perm', instanceId: `i-${f.n()}`, clientVersion: '1', intervalMs: 60_000, prompts: [{ name: f.promptName, revision: 1, labels: [] }] },
    },
  }),
  'Mutation.createWebhook': () => ({
    query: 'mutation { createWebhook(input: { url: "https://hooks.example.invalid/in", events: ["label.moved"] }) { webhook { id } } }',
  }),
  'Mutation.updateWebhook': () => ({
    query: 'mutation($id: ID!) { updateWebhook(id: $id, input: { url: "https://hooks.example.invalid/in", events: ["*"] }) { id } }',
    variables: { id: MISSING },
  }),
  'Mutation.deleteWebhook': () => ({ query: 'mutation($id: ID!) { deleteWebhook(id: $id) { id } }', variables: { id: MISSING } }),
  'Mutation.rotateWebhookSecret': () => ({ query: 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }', variables: { id: MISSING } }),
  'Mutation.testWebhook': () => ({ query: 'mutation($id: ID!) { testWebhook(id: $id) { id } }', variables: { id: MISSING } }),
  'Mutation.redeliverWebhook': () => ({ query: 'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }', variables: { id: MISSING } }),
  'Mutation.redeliverFailedWebhooks': () => ({
    query: 'mutation($id: ID!) { redeliverFailedWebhooks(webhookId: $id, since: "2026-01-01T00:00:00Z") }',
    variables: { id: MISSING },
  }),
  'Mutation.createAlert': (f) => ({
    query: 'mutation($n: String!) { createAlert(input: { promptName: $n, metric: CALLS, threshold: 1000 }) { id } }',
    variables: { n: f.promptName },
  }),
  'Mutation.deleteAlert': () => ({ query: 'mutation($id: ID!) { deleteAlert(id: $id) { id } }', variables: { id: MISSING } }),
  'Subscription.alertUpdated': () => ({ query: 'subscription { alertUpdated { id } }' }),
};

/**
 * Nested fields that carry prompt data, reached through `promptChanged` (the one root a resolve-only
 * key shares with readers): who reads each. `prompts:resolve` reads what `clientPrompts` gives it
 * (name, revision, labels, the versions' content), nothing more. test/security/field-authorization.test.ts
 * iterates these types in the schema: a field missing here fails.
 */
export const NESTED_TYPES = ['PromptChangeEvent', 'Prompt', 'Label', 'LabelMove', 'PromptVersion', 'ABTest', 'ABVariant', 'ABVariantResult'] as const;

/** How a sample reaches each type's fields from `promptChanged`. */
export const NESTED_PATHS: Record<(typeof NESTED_TYPES)[number], string[]> = {
  PromptChangeEvent: [],
  Prompt: ['prompt'],
  Label: ['prompt', 'labels'],
  LabelMove: ['prompt', 'labelHistory(first: 1)'],
  PromptVersion: ['prompt', 'latestVersion'],
  ABTest: ['prompt', 'activeABTest'],
  ABVariant: ['prompt', 'activeABTest', 'variants'],
  ABVariantResult: ['prompt', 'activeABTest', 'results', 'variants'],
};

/** Arguments of the nested fields that take some. */
export const NESTED_ARGS: Record<string, string> = {
  'Prompt.versions': '(first: 1)',
  'Prompt.version': '(number: 1)',
  'Prompt.labelHistory': '(first: 1)',
  'Prompt.viewerCanMoveLabel': '(label: "staging")',
};

const CLIENT_VIEW: PrincipalName[] = [...READ, 'prompts:resolve'];
const rows = (type: string, allowed: PrincipalName[], fields: string[]) => Object.fromEntries(fields.map((f) => [`${type}.${f}`, allowed]));

export const NESTED_EXPECTED: Record<string, PrincipalName[]> = {
  ...rows('PromptChangeEvent', CLIENT_VIEW, ['kind', 'promptName', 'prompt', 'version', 'label', 'revision', 'at']),
  ...rows('PromptChangeEvent', READ, ['actor']),
  ...rows('Prompt', CLIENT_VIEW, ['id', 'name', 'revision', 'latestVersion', 'activeVersion', 'labels']),
  ...rows('Prompt', READ, [
    'description',
    'tags',
    'versions',
    'version',
    'labelHistory',
    'activeABTest',
    'abTests',
    'createdBy',
    'createdAt',
    'updatedAt',
    'archivedAt',
    'viewerCanEdit',
    'viewerCanMoveLabel',
    'viewerCanPublish',
    'viewerCanRollback',
    'viewerCanManageTests',
  ]),
  ...rows('Prompt', METRICS_READ, ['metrics']),
  ...rows('Label', CLIENT_VIEW, ['name', 'version']),
  ...rows('Label', READ, ['updatedBy', 'updatedAt', 'protected']),
  ...rows('LabelMove', READ, ['id', 'label', 'fromVersion', 'toVersion', 'actor', 'at', 'reason']),
  ...rows('PromptVersion', CLIENT_VIEW, [
    'id',
    'prompt',
    'number',
    'type',
    'template',
    'systemMessage',
    'messages',
    'variables',
    'model',
    'temperature',
    'maxTokens',
    'config',
    'tools',
    'responseFormat',
    'labels',
  ]),
  ...rows('PromptVersion', READ, ['message', 'contentHash', 'createdBy', 'createdAt', 'warnings', 'contractChanges']),
  ...rows('PromptVersion', METRICS_READ, ['metrics']),
  ...rows('ABTest', READ, [
    'id',
    'prompt',
    'label',
    'status',
    'variants',
    'metric',
    'minSampleSize',
    'autoPromote',
    'startedAt',
    'endedAt',
    'winner',
    'salt',
    'allocation',
  ]),
  ...rows('ABTest', METRICS_READ, ['results']),
  ...rows('ABVariant', READ, ['key', 'version', 'weight']),
  // Reached through ABTest.results (metrics:read).
  ...rows('ABVariantResult', METRICS_READ, [
    'key',
    'version',
    'weight',
    'isControl',
    'metrics',
    'difference',
    'confidenceInterval',
    'pValue',
    'alwaysValidPValue',
  ]),
};
