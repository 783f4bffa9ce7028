/**
 * The `data` of an event's body. Prompt changes recorded in a transaction carry ids and the revision
 * only (one cheap insert); the rest (version number, label from/to, reason) is read at fan-out from
 * rows that never change (label history at that revision, versions), so the body is the same whenever
 * it is built.
 */
import type { Executor } from '../db/client';
import type { WebhookEventRow } from '../db/schema';
import type { PromptChangedPayload } from '../pubsub/topics';
import { labelMovesAt, versionNumbers, type LabelMoveAt } from './outbox-store';
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

type Source = { change: PromptChangedPayload; extra?: Record<string, unknown> };

/** The data of a batch of events in two queries (label moves, version numbers), whatever its size. */
export async function buildDataBatch(db: Executor, events: readonly WebhookEventRow[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const pending = events.filter((e) => {
    if (e.data) out.set(e.id, e.data);
    return !e.data;
  });
  const changes = pending.map((e) => (e.source as Source).change);
  const moves = await labelMovesAt(
    db,
    changes.map((c) => ({ promptId: c.promptId, revision: c.revision })),
  );
  const ids = new Set<string>();
  for (const c of changes) if (c.versionId) ids.add(c.versionId);
  for (const m of moves) {
    if (m.fromVersionId) ids.add(m.fromVersionId);
    if (m.toVersionId) ids.add(m.toVersionId);
  }
  const numbers = await versionNumbers(db, [...ids]);
  for (const e of pending) {
    const c = (e.source as Source).change;
    out.set(
      e.id,
      dataOf(
        e,
        moves.filter((m) => m.promptId === c.promptId && m.revision === c.revision),
        numbers,
      ),
    );
  }
  return out;
}

function dataOf(event: WebhookEventRow, moves: readonly LabelMoveAt[], numbers: Map<string, number>): Record<string, unknown> {
  const source = event.source as Source;
  const change = source.change;
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
