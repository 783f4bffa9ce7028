/**
 * The `data` of an event's body. Prompt changes recorded in a transaction carry ids and the revision
 * only (one cheap insert); the rest (version number, label from/to, reason) is read at fan-out from
 * rows that never change (label history at that revision, versions), so the body is the same whenever
 * it is built.
 */
import type { Executor } from '../db/client';
import type { WebhookEventRow } from '../db/schema';
import type { PromptChangedPayload } from '../pubsub/topics';
import { labelMovesAt, versionNumbers } from './outbox-store';
import type { EventSubject } from './event-types';

type Ref = { versionId: string; versionNumber: number | null } | null;

export type PromptEventData = {
  workspaceId: string;
  promptId: string;
  promptName: string;
  revision: number;
  versionId: string | null;
  versionNumber: number | null;
  label: string | null;
  from: Ref;
  to: Ref;
  reason: string | null;
  actor: { id: string | null; name: string };
  at: string;
  labels?: { label: string; from: Ref; to: Ref }[];
  [extra: string]: unknown;
};

export async function buildData(db: Executor, event: WebhookEventRow): Promise<Record<string, unknown>> {
  if (event.data) return event.data;
  const source = event.source as { change: PromptChangedPayload; extra?: Record<string, unknown> };
  const change = source.change;
  const moves = await labelMovesAt(db, change.promptId, change.revision);
  const ids = new Set<string>();
  if (change.versionId) ids.add(change.versionId);
  for (const m of moves) {
    if (m.fromVersionId) ids.add(m.fromVersionId);
    if (m.toVersionId) ids.add(m.toVersionId);
  }
  const numbers = await versionNumbers(db, [...ids]);
  const ref = (id: string | null): Ref => (id ? { versionId: id, versionNumber: numbers.get(id) ?? null } : null);
  const move = change.label ? moves.find((m) => m.label === change.label) : undefined;
  const data: PromptEventData = {
    workspaceId: change.workspaceId,
    promptId: change.promptId,
    promptName: change.promptName,
    revision: change.revision,
    versionId: change.versionId ?? move?.toVersionId ?? null,
    versionNumber: null,
    label: change.label,
    from: move ? ref(move.fromVersionId) : null,
    to: move ? ref(move.toVersionId) : null,
    reason: move?.reason ?? null,
    actor: change.actor,
    at: change.at,
    ...(source.extra ?? {}),
  };
  data.versionNumber = data.versionId ? (numbers.get(data.versionId) ?? null) : null;
  if (event.type === 'version.created') data.labels = moves.map((m) => ({ label: m.label, from: ref(m.fromVersionId), to: ref(m.toVersionId) }));
  return data;
}

/** The prompt and labels an event is about (for endpoint filters). */
export function subjectOf(type: string, data: Record<string, unknown>): EventSubject {
  const promptName = typeof data.promptName === 'string' ? data.promptName : null;
  const labels = new Set<string>();
  if (typeof data.label === 'string') labels.add(data.label);
  if (type === 'version.created' && Array.isArray(data.labels)) for (const l of data.labels as { label: string }[]) labels.add(l.label);
  return { promptName, labels: [...labels] };
}
