/**
 * Webhook endpoints (ADMIN): create (the secret is shown once), update, delete, rotate the secret
 * (the old one keeps signing for 24 h), send a test, redeliver one delivery or every failed one since
 * a time, and read deliveries with their attempts. Every change is audited.
 */
import { assertCan } from '../auth/permissions';
import { actorOf } from '../auth/principal';
import { writeAudit } from '../audit/audit-log';
import type { Db } from '../db/client';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema';
import { BadInputError, NotFoundError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertPageSize, decodeCursor, encodeCursor } from '../shared/pagination';
import { assertLabelName, assertPromptName, assertText, assertUuid, optionalText } from '../shared/validate';
import { findEndpoint, insertEndpoint, listEndpoints, updateEndpoint, type EndpointValues } from './endpoint-store';
import { isValidPattern } from './event-types';
import { deliveryOf } from './outbox';
import { attemptsOf, deliveriesPage, eventOf, findDelivery, insertDeliveries, insertEvents, requeueDeliveries } from './outbox-store';
import { newWebhookSecret, type SecretBox } from './secret-box';
import { checkUrl, RefusedTargetError, resolveTarget } from './ssrf-guard';

export const ROTATION_GRACE_MS = 24 * 3_600_000;
const MAX_ENDPOINTS = 50;
const RESERVED_HEADERS = /^(webhook-.*|content-type|content-length|host|user-agent|transfer-encoding|connection)$/i;

export type WebhookDeps = { db: Db; box: SecretBox; allowPrivateTargets: boolean; wake: () => void };

export type WebhookInput = {
  url: string;
  events: string[];
  promptFilter?: string | null;
  labelFilter?: string[] | null;
  headers?: unknown;
  description?: string | null;
  enabled?: boolean | null;
};

/** Refused at creation too: a literal private address, or a name that resolves to one now (delivery checks again). */
async function assertAllowedUrl(url: string, allowPrivate: boolean): Promise<void> {
  try {
    checkUrl(url, allowPrivate);
    await resolveTarget(url, allowPrivate);
  } catch (err) {
    if (!(err instanceof RefusedTargetError)) throw err;
    if (/does not resolve/.test(err.message)) return; // DNS may come later; every attempt resolves again
    throw new BadInputError('input.url', err.message);
  }
}

async function validateInput(input: WebhookInput, allowPrivate: boolean): Promise<EndpointValues> {
  const url = assertText(input.url, 'input.url', 2000);
  await assertAllowedUrl(url, allowPrivate);
  if (!Array.isArray(input.events) || input.events.length === 0)
    throw new BadInputError('input.events', 'List at least one event type (e.g. "label.moved", "label.*" or "*").');
  if (input.events.length > 50) throw new BadInputError('input.events', 'At most 50 event types.');
  input.events.forEach((e, i) => {
    if (!isValidPattern(e)) throw new BadInputError(`input.events.${i}`, `Unknown event type "${String(e).slice(0, 100)}".`);
  });
  let promptFilter: string | null = null;
  if (input.promptFilter != null && input.promptFilter !== '') {
    const f = input.promptFilter;
    promptFilter = f.endsWith('/') ? `${assertPromptName(f.slice(0, -1), 'input.promptFilter')}/` : assertPromptName(f, 'input.promptFilter');
  }
  const labelFilter = input.labelFilter == null ? null : [...new Set(input.labelFilter.map((l, i) => assertLabelName(l, `input.labelFilter.${i}`)))];
  const headers: Record<string, string> = {};
  if (input.headers != null) {
    if (typeof input.headers !== 'object' || Array.isArray(input.headers))
      throw new BadInputError('input.headers', 'headers is an object of header names to string values.');
    const entries = Object.entries(input.headers as Record<string, unknown>);
    if (entries.length > 20) throw new BadInputError('input.headers', 'At most 20 static headers.');
    for (const [name, value] of entries) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(name)) throw new BadInputError(`input.headers.${name}`, 'Not a valid header name.');
      if (RESERVED_HEADERS.test(name)) throw new BadInputError(`input.headers.${name}`, `"${name}" is set by the service.`);
      if (typeof value !== 'string' || /[\r\n\0]/.test(value) || value.length > 2000)
        throw new BadInputError(`input.headers.${name}`, 'A header value is a string of at most 2000 characters on one line.');
      headers[name.toLowerCase()] = value;
    }
  }
  return {
    url,
    events: [...new Set(input.events)],
    promptFilter,
    labelFilter,
    headers,
    description: optionalText(input.description, 'input.description', 2000),
    enabled: input.enabled ?? true,
  };
}

async function mustFind(deps: WebhookDeps, scope: RequestScope, id: string, lock = false, db = deps.db): Promise<WebhookEndpointRow> {
  const row = await findEndpoint(db, scope.principal.workspaceId, id, lock);
  if (!row) throw new NotFoundError('No webhook with this id.', { field: 'id' });
  return row;
}

function snapshot(e: WebhookEndpointRow) {
  return {
    url: e.url,
    events: e.events,
    promptFilter: e.promptFilter,
    labelFilter: e.labelFilter,
    headerNames: Object.keys(e.headers),
    description: e.description,
    enabled: e.enabled,
  };
}

export async function createWebhook(deps: WebhookDeps, scope: RequestScope, input: WebhookInput): Promise<{ webhook: WebhookEndpointRow; secret: string }> {
  assertCan(scope.principal, 'webhook:manage');
  const values = await validateInput(input, deps.allowPrivateTargets);
  const actor = actorOf(scope.principal);
  const secret = newWebhookSecret();
  const webhook = await deps.db.transaction(async (tx) => {
    if ((await listEndpoints(tx, scope.principal.workspaceId)).length >= MAX_ENDPOINTS)
      throw new BadInputError('input', `A workspace has at most ${MAX_ENDPOINTS} webhooks.`);
    const row = await insertEndpoint(tx, {
      ...values,
      workspaceId: scope.principal.workspaceId,
      secretEnc: deps.box.seal(secret),
      createdById: actor.id,
      createdByName: actor.name,
    });
    await writeAudit(tx, {
      workspaceId: row.workspaceId,
      action: 'webhook.create',
      actor,
      targetType: 'webhook',
      targetId: row.id,
      target: row.url,
      after: snapshot(row),
      requestId: scope.requestId,
    });
    return row;
  });
  return { webhook, secret };
}

export async function updateWebhook(deps: WebhookDeps, scope: RequestScope, id: string, input: WebhookInput): Promise<WebhookEndpointRow> {
  assertCan(scope.principal, 'webhook:manage');
  const values = await validateInput(input, deps.allowPrivateTargets);
  const actor = actorOf(scope.principal);
  return deps.db.transaction(async (tx) => {
    const before = await mustFind(deps, scope, id, true, tx);
    // Enabling again clears the service's reason and the failing run.
    const extra = values.enabled && !before.enabled ? { disabledReason: null, failingSince: null } : {};
    const after = await updateEndpoint(tx, before.id, { ...values, ...extra });
    await writeAudit(tx, {
      workspaceId: after.workspaceId,
      action: 'webhook.update',
      actor,
      targetType: 'webhook',
      targetId: after.id,
      target: after.url,
      before: snapshot(before),
      after: snapshot(after),
      requestId: scope.requestId,
    });
    return after;
  });
}

export async function deleteWebhook(deps: WebhookDeps, scope: RequestScope, id: string): Promise<WebhookEndpointRow> {
  assertCan(scope.principal, 'webhook:manage');
  const actor = actorOf(scope.principal);
  return deps.db.transaction(async (tx) => {
    const before = await mustFind(deps, scope, id, true, tx);
    const after = await updateEndpoint(tx, before.id, { deletedAt: new Date(), enabled: false });
    await writeAudit(tx, {
      workspaceId: after.workspaceId,
      action: 'webhook.delete',
      actor,
      targetType: 'webhook',
      targetId: after.id,
      target: after.url,
      before: snapshot(before),
      requestId: scope.requestId,
    });
    return after;
  });
}

/** A new secret; the old one keeps signing (a second signature) for 24 hours so receivers can switch. */
export async function rotateWebhookSecret(deps: WebhookDeps, scope: RequestScope, id: string): Promise<{ webhook: WebhookEndpointRow; secret: string }> {
  assertCan(scope.principal, 'webhook:manage');
  const actor = actorOf(scope.principal);
  const secret = newWebhookSecret();
  const webhook = await deps.db.transaction(async (tx) => {
    const before = await mustFind(deps, scope, id, true, tx);
    const after = await updateEndpoint(tx, before.id, {
      secretEnc: deps.box.seal(secret),
      previousSecretEnc: before.secretEnc,
      previousSecretExpiresAt: new Date(Date.now() + ROTATION_GRACE_MS),
    });
    await writeAudit(tx, {
      workspaceId: after.workspaceId,
      action: 'webhook.rotate-secret',
      actor,
      targetType: 'webhook',
      targetId: after.id,
      target: after.url,
      requestId: scope.requestId,
    });
    return after;
  });
  return { webhook, secret };
}

/** A `webhook.test` message to this endpoint only, through the same outbox and delivery path. */
export async function testWebhook(deps: WebhookDeps, scope: RequestScope, id: string): Promise<WebhookDeliveryRow> {
  assertCan(scope.principal, 'webhook:manage');
  const actor = actorOf(scope.principal);
  const delivery = await deps.db.transaction(async (tx) => {
    const endpoint = await mustFind(deps, scope, id, false, tx);
    const data = {
      workspaceId: endpoint.workspaceId,
      webhookId: endpoint.id,
      message: 'Test message from the prompt service.',
      actor,
      at: new Date().toISOString(),
    };
    const [event] = await insertEvents(tx, [
      { workspaceId: endpoint.workspaceId, type: 'webhook.test', source: { test: true }, data, endpointId: endpoint.id },
    ]);
    const [row] = await insertDeliveries(tx, [deliveryOf(event!, endpoint.id)]);
    return row!;
  });
  deps.wake();
  return delivery;
}

export async function redeliverWebhook(deps: WebhookDeps, scope: RequestScope, deliveryId: string): Promise<WebhookDeliveryRow> {
  assertCan(scope.principal, 'webhook:manage');
  const id = assertUuid(deliveryId, 'deliveryId');
  const existing = await findDelivery(deps.db, scope.principal.workspaceId, id);
  if (!existing) throw new NotFoundError('No webhook delivery with this id.', { field: 'deliveryId' });
  const [row] = await requeueDeliveries(deps.db, { workspaceId: scope.principal.workspaceId, ids: [id] });
  deps.wake();
  return row!;
}

/** Sends again every FAILED delivery of the endpoint created since `since`; returns how many. */
export async function redeliverFailedWebhooks(deps: WebhookDeps, scope: RequestScope, webhookId: string, since: Date): Promise<number> {
  assertCan(scope.principal, 'webhook:manage');
  const endpoint = await mustFind(deps, scope, webhookId);
  if (!(since instanceof Date) || Number.isNaN(since.getTime())) throw new BadInputError('since', 'since must be a timestamp.');
  const rows = await requeueDeliveries(deps.db, { workspaceId: scope.principal.workspaceId, endpointId: endpoint.id, failedSince: since });
  deps.wake();
  return rows.length;
}

export async function getWebhook(deps: WebhookDeps, scope: RequestScope, id: string): Promise<WebhookEndpointRow | null> {
  assertCan(scope.principal, 'webhook:manage');
  return findEndpoint(deps.db, scope.principal.workspaceId, id);
}

export async function listWebhooks(deps: WebhookDeps, scope: RequestScope): Promise<WebhookEndpointRow[]> {
  assertCan(scope.principal, 'webhook:manage');
  return listEndpoints(deps.db, scope.principal.workspaceId);
}

export async function listDeliveries(
  deps: WebhookDeps,
  endpoint: WebhookEndpointRow,
  args: { first?: number | null; after?: string | null; status?: WebhookDeliveryRow['status'] | null },
) {
  const limit = assertPageSize(args.first);
  const before = args.after ? decodeCursor(args.after, 'delivery', 2) : null;
  const { rows, totalCount } = await deliveriesPage(
    deps.db,
    endpoint.id,
    limit,
    before ? { createdAt: new Date(before[0]!), id: before[1]! } : null,
    args.status ?? null,
  );
  const nodes = rows.slice(0, limit);
  const cursor = (d: WebhookDeliveryRow) => encodeCursor('delivery', [d.createdAt.toISOString(), d.id]);
  return {
    edges: nodes.map((node) => ({ cursor: cursor(node), node })),
    pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.length ? cursor(nodes[nodes.length - 1]!) : null },
    totalCount,
  };
}

export const deliveryAttempts = (deps: WebhookDeps, d: WebhookDeliveryRow) => attemptsOf(deps.db, d.id);
export const deliveryEvent = (deps: WebhookDeps, d: WebhookDeliveryRow) => eventOf(deps.db, d.eventId);
