/**
 * Drizzle tables: the single source of the database shape. Migrations in drizzle/ are generated
 * from this file by drizzle-kit (`npm run db:generate`) and never edited after they land.
 */
import type { ChatMessageRow, ToolRow, VariableRow } from '../shared/version-content';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { DEFAULT_PROTECTED_LABELS } from '../shared/labels';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const workspaces = pgTable(
  'workspaces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** The workspace created on first start; ADMIN_API_KEY belongs to it. */
    isDefault: boolean('is_default').notNull().default(false),
    protectedLabels: text('protected_labels')
      .array()
      .notNull()
      .default(sql.raw(`ARRAY[${DEFAULT_PROTECTED_LABELS.map((l) => `'${l}'`).join(', ')}]::text[]`)),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('workspaces_one_default')
      .on(t.isDefault)
      .where(sql`${t.isDefault}`),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    /** Public lookup id embedded in the key (`pm_live_<keyId>_…`). */
    keyId: text('key_id').notNull().unique(),
    /** The visible start of the key, e.g. `pm_live_1a2b3c4d5e6f7a8b`. */
    prefix: text('prefix').notNull(),
    /** SHA-256 (hex) of the secret part; the secret itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    role: text('role').$type<'VIEWER' | 'EDITOR' | 'PUBLISHER' | 'ADMIN'>(),
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    isInstanceAdmin: boolean('is_instance_admin').notNull().default(false),
    /** The person whose own key this is (its role is capped at theirs); null for a workspace key. */
    userId: uuid('user_id').references((): AnyPgColumn => users.id),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_keys_workspace').on(t.workspaceId)],
);

export const prompts = pgTable(
  'prompts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    description: text('description'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    /** Raised by one in the same transaction as every change to the prompt. */
    revision: integer('revision').notNull().default(1),
    /** The highest version number allocated; the next version gets this + 1 under the row lock. */
    versionCount: integer('version_count').notNull().default(0),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('prompts_workspace_name').on(t.workspaceId, t.name)],
);

// Defined apart from the ORM (the client package's prompt-file code names them); re-exported for the stores.
export type { ChatMessageRow, ToolRow, VariableRow };

/** Insert-only: a trigger (migration 0001) rejects UPDATE and DELETE. */
export const promptVersions = pgTable(
  'prompt_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    promptId: uuid('prompt_id')
      .notNull()
      .references(() => prompts.id),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    number: integer('number').notNull(),
    type: text('type').$type<'TEXT' | 'CHAT'>().notNull(),
    template: text('template'),
    systemMessage: text('system_message'),
    messages: jsonb('messages').$type<ChatMessageRow[]>(),
    variables: jsonb('variables').$type<VariableRow[]>().notNull(),
    model: text('model').notNull(),
    temperature: doublePrecision('temperature').notNull(),
    maxTokens: integer('max_tokens').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>(),
    /** Function definitions `{ name, description, parameters }` (parameters a JSON Schema), validated at creation. */
    tools: jsonb('tools').$type<ToolRow[]>(),
    /** A JSON Schema for structured output, validated at creation. */
    responseFormat: jsonb('response_format').$type<Record<string, unknown>>(),
    message: text('message'),
    contentHash: text('content_hash').notNull(),
    warnings: jsonb('warnings').$type<string[]>().notNull(),
    contractChanges: jsonb('contract_changes').$type<string[]>().notNull(),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('prompt_versions_prompt_number').on(t.promptId, t.number),
    // Target of the labels' composite key: a label can only point at a version of its own prompt.
    unique('prompt_versions_prompt_id_id').on(t.promptId, t.id),
  ],
);

export const labels = pgTable(
  'labels',
  {
    promptId: uuid('prompt_id')
      .notNull()
      .references(() => prompts.id),
    name: text('name').notNull(),
    versionId: uuid('version_id').notNull(),
    updatedById: uuid('updated_by_id'),
    updatedByName: text('updated_by_name').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.promptId, t.name] }),
    foreignKey({ columns: [t.promptId, t.versionId], foreignColumns: [promptVersions.promptId, promptVersions.id] }),
  ],
);

/** Append-only record of every label move; powers rollback and `Prompt.labelHistory`. */
export const labelHistory = pgTable(
  'label_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    promptId: uuid('prompt_id')
      .notNull()
      .references(() => prompts.id),
    label: text('label').notNull(),
    fromVersionId: uuid('from_version_id'),
    toVersionId: uuid('to_version_id'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The prompt's revision after the move. */
    revision: integer('revision').notNull(),
    /** Insertion order, total even when several moves share a transaction (and its timestamp). */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [index('label_history_prompt_label').on(t.promptId, t.label, t.seq)],
);

/** Append-only audit trail, written in the same transaction as the change it records. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    action: text('action').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    target: text('target'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Insertion order: entries of one transaction share `at`. Pages and sorts by this. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [index('audit_log_workspace_seq').on(t.workspaceId, t.seq)],
);

// ---------------------------------------------------------------- metrics (src/metrics/)

/**
 * One LLM call, as reported (raw; pruned after METRICS_RETENTION_DAYS). `(workspace_id, call_id)`
 * makes ingestion idempotent. No foreign keys on purpose: this is the hottest insert path, the
 * service checks the version (in the caller's workspace) before queueing, and versions are never
 * deleted. `ab_test_id`/`variant` are derived on the server (see metrics/variant.ts).
 */
export const metricCalls = pgTable(
  'metric_calls',
  {
    workspaceId: uuid('workspace_id').notNull(),
    callId: text('call_id').notNull(),
    promptId: uuid('prompt_id').notNull(),
    versionId: uuid('version_id').notNull(),
    /** The model actually called (the input's, else the version's). */
    model: text('model').notNull(),
    requestId: text('request_id'),
    runId: text('run_id'),
    abTestId: uuid('ab_test_id'),
    variant: text('variant'),
    latencyMs: doublePrecision('latency_ms').notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }),
    outputTokens: bigint('output_tokens', { mode: 'number' }),
    /** Total tokens: the input's tokensUsed, else inputTokens + outputTokens when either is given. */
    tokensUsed: bigint('tokens_used', { mode: 'number' }),
    success: boolean('success').notNull(),
    errorCode: text('error_code'),
    qualityScore: doublePrecision('quality_score'),
    /** USD, exact: the input's costUsd, else tokens × the model's price; null when neither is known. */
    costUsd: numeric('cost_usd', { precision: 18, scale: 9 }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Hash of the values the client sent: a repeat with other values is a CONFLICT. */
    fingerprint: text('fingerprint').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.callId] }),
    index('metric_calls_at').on(t.at),
    index('metric_calls_run')
      .on(t.workspaceId, t.runId)
      .where(sql`${t.runId} is not null`),
  ],
);

/** Quality scores given after the call (recordFeedback); each one counts (every score is averaged). */
export const metricFeedback = pgTable(
  'metric_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull(),
    callId: text('call_id').notNull(),
    score: doublePrecision('score').notNull(),
    comment: text('comment'),
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('metric_feedback_call').on(t.workspaceId, t.callId), index('metric_feedback_at').on(t.at)],
);

/**
 * Hourly rollups kept up to date at ingest, in the same statement as the raw insert: every read of
 * metrics comes from here. One row per (workspace, UTC hour, prompt, version, model, A/B test,
 * variant, in a few shards). Sums and sums of squares give means and variances (Welch's t-test needs both);
 * `latency_hist` is a log-bucketed histogram (metrics/latency-sketch.ts) that merges by adding counts.
 */
export const metricRollups = pgTable(
  'metric_rollups',
  {
    workspaceId: uuid('workspace_id').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    promptId: uuid('prompt_id').notNull(),
    versionId: uuid('version_id').notNull(),
    model: text('model').notNull(),
    abTestId: uuid('ab_test_id'),
    variant: text('variant'),
    /**
     * Concurrent ingest transactions would all queue on the same hot row; each writes one of a few
     * shards instead. Always sum over shards (every read here does).
     */
    shard: smallint('shard').notNull().default(0),
    calls: bigint('calls', { mode: 'number' }).notNull(),
    successes: bigint('successes', { mode: 'number' }).notNull(),
    latencySum: doublePrecision('latency_sum').notNull(),
    latencySqSum: doublePrecision('latency_sq_sum').notNull(),
    /** Bucket index (string) → count; "z" holds zero latencies. */
    latencyHist: jsonb('latency_hist').$type<Record<string, number>>().notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
    tokensSum: bigint('tokens_sum', { mode: 'number' }).notNull(),
    /** Calls that reported tokens (the denominator of avgTokensUsed). */
    tokensCalls: bigint('tokens_calls', { mode: 'number' }).notNull(),
    /** Every quality score: those on calls and those from recordFeedback. */
    qualityCount: bigint('quality_count', { mode: 'number' }).notNull(),
    qualitySum: doublePrecision('quality_sum').notNull(),
    qualitySqSum: doublePrecision('quality_sq_sum').notNull(),
    /** Calls with a known cost (the denominator of costPerCall). */
    costCalls: bigint('cost_calls', { mode: 'number' }).notNull(),
    costSum: numeric('cost_sum').notNull(),
    costSqSum: numeric('cost_sq_sum').notNull(),
  },
  (t) => [
    unique('metric_rollups_key_shard').on(t.workspaceId, t.hour, t.promptId, t.versionId, t.model, t.abTestId, t.variant, t.shard).nullsNotDistinct(),
    index('metric_rollups_workspace_hour').on(t.workspaceId, t.hour),
    index('metric_rollups_version_hour').on(t.versionId, t.hour),
  ],
);

/**
 * Model prices in USD per million tokens: global rows (workspace_id null, seeded by a migration)
 * and per-workspace overrides (setModelPrice). A workspace sees its override, else the global row.
 */
export const modelPrices = pgTable(
  'model_prices',
  {
    workspaceId: uuid('workspace_id').references(() => workspaces.id),
    model: text('model').notNull(),
    inputPerMillion: numeric('input_per_million', { precision: 18, scale: 9 }).notNull(),
    outputPerMillion: numeric('output_per_million', { precision: 18, scale: 9 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('model_prices_workspace_model').on(t.workspaceId, t.model).nullsNotDistinct()],
);

// ---------------------------------------------------------------- A/B tests (src/experiments/)

export type ABVariantRow = { key: string; versionId: string; weight: number };
/** One period of constant weights: from `at` until the next entry (or the end of the test). Feeds the SRM check. */
export type ABWeightPeriod = { at: string; weights: number[] };
export type ABDecisionRow = {
  decision: string;
  winnerKey: string | null;
  metric: string;
  difference: number | null;
  pValue: number | null;
  alwaysValidPValue: number | null;
  srmPValue: number | null;
  at: string;
};

/**
 * A/B tests on a label of a prompt. `allocation` is the bucket → variant map (experiments/allocation.ts)
 * and `salt` the per-test random salt of the assignment hash: together they let any client assign
 * requests exactly as the server does. At most one RUNNING test per (prompt, label).
 */
export const abTests = pgTable(
  'ab_tests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    promptId: uuid('prompt_id')
      .notNull()
      .references(() => prompts.id),
    label: text('label').notNull(),
    status: text('status').$type<'RUNNING' | 'CONCLUDED' | 'STOPPED'>().notNull(),
    variants: jsonb('variants').$type<ABVariantRow[]>().notNull(),
    allocation: jsonb('allocation').$type<{ key: string; ranges: (readonly [number, number])[] }[]>().notNull(),
    weightHistory: jsonb('weight_history').$type<ABWeightPeriod[]>().notNull(),
    salt: text('salt').notNull(),
    metric: text('metric').$type<'QUALITY_SCORE' | 'SUCCESS_RATE' | 'LATENCY' | 'COST'>().notNull(),
    minSampleSize: integer('min_sample_size').notNull(),
    autoPromote: boolean('auto_promote').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    winnerKey: text('winner_key'),
    /** Why it ended: the decision that concluded it, or the manual stop / rollback. */
    decision: jsonb('decision').$type<ABDecisionRow | { reason: string }>(),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name').notNull(),
  },
  (t) => [
    uniqueIndex('ab_tests_one_running')
      .on(t.promptId, t.label)
      .where(sql`${t.status} = 'RUNNING'`),
    index('ab_tests_prompt').on(t.promptId, t.startedAt),
    index('ab_tests_workspace').on(t.workspaceId),
  ],
);

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type PromptRow = typeof prompts.$inferSelect;
export type VersionRow = typeof promptVersions.$inferSelect;
export type LabelRow = typeof labels.$inferSelect;
export type LabelHistoryRow = typeof labelHistory.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type MetricCallRow = typeof metricCalls.$inferSelect;
export type MetricRollupRow = typeof metricRollups.$inferSelect;
export type ModelPriceRow = typeof modelPrices.$inferSelect;
export type ABTestRow = typeof abTests.$inferSelect;

// ---------------------------------------------------------------- webhooks and alerts (src/webhooks/, src/alerts/)

/**
 * A webhook endpoint of a workspace. Secrets are stored encrypted with the server key
 * (webhooks/secret-box.ts): a database dump alone does not reveal them. After a rotation the
 * previous secret keeps signing too until `previous_secret_expires_at`.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    url: text('url').notNull(),
    /** Event type patterns: exact types (`label.moved`), `label.*`, or `*`. */
    events: text('events').array().notNull(),
    /** An exact prompt name, or a folder prefix ending in `/`; null: every prompt. */
    promptFilter: text('prompt_filter'),
    /** Only events about one of these labels; null: every label. */
    labelFilter: text('label_filter').array(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull(),
    description: text('description'),
    enabled: boolean('enabled').notNull().default(true),
    /** Why the service disabled it (410 Gone, failing for days); null when enabled or disabled by hand. */
    disabledReason: text('disabled_reason'),
    secretEnc: text('secret_enc').notNull(),
    previousSecretEnc: text('previous_secret_enc'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    /** Start of the current run of failed attempts (null after a success). */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('webhook_endpoints_workspace').on(t.workspaceId)],
);

/**
 * The transactional outbox: one row per event that must not be lost, written in the same transaction
 * as the change that causes it. Dispatchers fan it out to the matching endpoints (`fanned_out_at`),
 * claiming rows with FOR UPDATE SKIP LOCKED. `data` is the body's data; for prompt changes it is built
 * at fan-out from immutable rows (label history, versions) so the change itself pays one insert.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    workspaceId: uuid('workspace_id').notNull(),
    type: text('type').notNull(),
    /** What caused it, as recorded in the transaction (ids, revision, actor). */
    source: jsonb('source').$type<Record<string, unknown>>().notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    /** Only this endpoint (testWebhook); null: every matching endpoint. */
    endpointId: uuid('endpoint_id'),
    createdAt: createdAt(),
    fannedOutAt: timestamp('fanned_out_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_events_pending')
      .on(t.seq)
      .where(sql`${t.fannedOutAt} is null`),
    index('webhook_events_created').on(t.createdAt),
  ],
);

/** One event for one endpoint: the unit that is retried. Unique per (endpoint, event): fan-out never doubles. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    /** The `webhook-id` header: the same on every attempt and redelivery (receivers deduplicate on it). */
    webhookId: text('webhook_id').notNull(),
    status: text('status').$type<'PENDING' | 'SUCCEEDED' | 'RETRYING' | 'FAILED'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Attempts of the current run (a redelivery starts a new run at 0: the schedule starts over). */
    runAttempts: integer('run_attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** A dispatcher holds the delivery until then; a crash lets it expire and another instance retries. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_endpoint_event').on(t.endpointId, t.eventId),
    index('webhook_deliveries_due')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('PENDING', 'RETRYING')`),
    index('webhook_deliveries_endpoint_created').on(t.endpointId, t.createdAt),
  ],
);

/** Every attempt of a delivery: request, response (first 4 KB), latency, error. Pruned after the retention period. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    number: integer('number').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    requestHeaders: jsonb('request_headers').$type<Record<string, string>>().notNull(),
    requestBody: text('request_body').notNull(),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    latencyMs: doublePrecision('latency_ms'),
    error: text('error'),
  },
  (t) => [index('webhook_attempts_delivery').on(t.deliveryId, t.number), index('webhook_attempts_at').on(t.at)],
);

/** An alert rule on a prompt, a folder or the whole workspace, evaluated from the rollups. */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name'),
    promptName: text('prompt_name'),
    folder: text('folder'),
    metric: text('metric').$type<'DAILY_COST' | 'CALLS' | 'ERROR_RATE' | 'P95_LATENCY' | 'QUALITY_SCORE'>().notNull(),
    threshold: doublePrecision('threshold').notNull(),
    windowMinutes: integer('window_minutes').notNull(),
    state: text('state').$type<'OK' | 'FIRING'>().notNull().default('OK'),
    lastValue: doublePrecision('last_value'),
    lastEvaluatedAt: timestamp('last_evaluated_at', { withTimezone: true }),
    lastChangedAt: timestamp('last_changed_at', { withTimezone: true }),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('alerts_workspace').on(t.workspaceId)],
);

/** Every state change of an alert (fired, resolved) with the value that caused it. */
export const alertHistory = pgTable(
  'alert_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id),
    workspaceId: uuid('workspace_id').notNull(),
    state: text('state').$type<'OK' | 'FIRING'>().notNull(),
    value: doublePrecision('value'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [index('alert_history_alert').on(t.alertId, t.seq)],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;
export type AlertHistoryRow = typeof alertHistory.$inferSelect;
// ---------------------------------------------------------------- people (src/people/)
// Users, their workspace memberships, browser sessions, invitations (and the first-start set-up
// link), password-reset links and pending OIDC sign-ins.

type PersonRoleName = 'VIEWER' | 'EDITOR' | 'PUBLISHER' | 'ADMIN';
const tstz = (name: string) => timestamp(name, { withTimezone: true });

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** As given; uniqueness is case-insensitive (index on lower(email)). */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** `scrypt$N$r$p$salt$hash` (people/passwords.ts); null for a person who only signs in with SSO. */
    passwordHash: text('password_hash'),
    isInstanceAdmin: boolean('is_instance_admin').notNull().default(false),
    /** The OIDC issuer and subject that signed this person in first (SSO accounts link by these). */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_lower').on(sql`lower(${t.email})`),
    uniqueIndex('users_oidc_subject')
      .on(t.oidcIssuer, t.oidcSubject)
      .where(sql`${t.oidcSubject} is not null`),
  ],
);

export const memberships = pgTable(
  'memberships',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').$type<PersonRoleName>().notNull(),
    joinedAt: tstz('joined_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('memberships_user').on(t.userId)],
);

/** Browser sessions: only the SHA-256 of the cookie's token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    /** The absolute end, whatever the activity. */
    expiresAt: tstz('expires_at').notNull(),
    userAgent: text('user_agent'),
    ip: text('ip'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Invitations to a workspace, and the first-start set-up link (kind SETUP: no email, instance admin). */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<'INVITE' | 'SETUP'>().notNull().default('INVITE'),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    email: text('email'),
    role: text('role').$type<PersonRoleName>().notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdById: uuid('created_by_id'),
    createdByName: text('created_by_name').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    lastSentAt: tstz('last_sent_at'),
    acceptedAt: tstz('accepted_at'),
    acceptedById: uuid('accepted_by_id'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [index('invitations_workspace').on(t.workspaceId, t.createdAt)],
);

/** Password-reset links an ADMIN creates for a member: single use, expiring. */
export const passwordResets = pgTable('password_resets', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  tokenHash: text('token_hash').notNull().unique(),
  createdById: uuid('created_by_id'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  expiresAt: tstz('expires_at').notNull(),
  usedAt: tstz('used_at'),
});

/** A started OIDC sign-in: state (single use), nonce and PKCE verifier, kept server-side so any instance can finish it. */
export const oidcLogins = pgTable('oidc_logins', {
  state: text('state').primaryKey(),
  nonce: text('nonce').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  usedAt: tstz('used_at'),
});

export type UserRow = typeof users.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;

// ------------------------------------------------------------ fleet view (client reports)

/** One client instance (service + instance id) of a workspace and its latest report. */
export const clientInstances = pgTable(
  'client_instances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    service: text('service').notNull(),
    instanceId: text('instance_id').notNull(),
    clientVersion: text('client_version').notNull(),
    intervalMs: integer('interval_ms').notNull(),
    firstSeenAt: tstz('first_seen_at').notNull().defaultNow(),
    lastReportAt: tstz('last_report_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('client_instances_identity').on(t.workspaceId, t.service, t.instanceId)],
);

export type HeldLabelRow = { label: string; versionId: string; since: string };

/** What an instance held of one prompt at its latest report; replaced by each report. */
export const clientInstancePrompts = pgTable(
  'client_instance_prompts',
  {
    clientInstanceId: uuid('client_instance_id')
      .notNull()
      .references(() => clientInstances.id, { onDelete: 'cascade' }),
    promptId: uuid('prompt_id')
      .notNull()
      .references(() => prompts.id),
    revision: integer('revision').notNull(),
    /** When the instance first reported this revision. */
    revisionSince: tstz('revision_since').notNull(),
    labels: jsonb('labels').$type<HeldLabelRow[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientInstanceId, t.promptId] }), index('client_instance_prompts_prompt').on(t.promptId)],
);

export type ClientInstanceRow = typeof clientInstances.$inferSelect;
export type ClientInstancePromptRow = typeof clientInstancePrompts.$inferSelect;
