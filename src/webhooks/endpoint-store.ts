/** SQL of webhook endpoints: insert, update, soft delete, find and list within a workspace. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { webhookEndpoints, type WebhookEndpointRow } from '../db/schema';
import { isUuid } from '../shared/validate';

export type EndpointValues = Pick<WebhookEndpointRow, 'url' | 'events' | 'promptFilter' | 'labelFilter' | 'headers' | 'description' | 'enabled'>;

export async function insertEndpoint(
  db: Executor,
  row: EndpointValues & Pick<WebhookEndpointRow, 'workspaceId' | 'secretEnc' | 'createdById' | 'createdByName'>,
): Promise<WebhookEndpointRow> {
  const [created] = await db.insert(webhookEndpoints).values(row).returning();
  return created!;
}

export async function findEndpoint(db: Executor, workspaceId: string, id: string, lock = false): Promise<WebhookEndpointRow | null> {
  if (!isUuid(id)) return null;
  const q = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id.toLowerCase()), isNull(webhookEndpoints.deletedAt)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function listEndpoints(db: Executor, workspaceId: string): Promise<WebhookEndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), isNull(webhookEndpoints.deletedAt)))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
}

export async function updateEndpoint(db: Executor, id: string, changes: Partial<WebhookEndpointRow>): Promise<WebhookEndpointRow> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return row!;
}
