/**
 * The fleet view: client instances report what they hold (`reportClientState`), and `fleet(promptName)`
 * answers which services and instances serve which revision and versions, since when, and which are
 * stale, lagging or silent (rules in fleet-status.ts).
 */
import { assertCan } from '../auth/permissions';
import type { Db } from '../db/client';
import type { ClientInstancePromptRow } from '../db/schema';
import { BadInputError, NotFoundError } from '../errors';
import { labelsOf } from '../prompts/label-store';
import { findPrompt, promptsByNames } from '../prompts/prompt-store';
import { versionsByIds } from '../prompts/version-store';
import type { RequestScope } from '../shared/request-scope';
import { assertPageSize, decodeCursor, encodeCursor } from '../shared/pagination';
import { assertIntRange, assertLabelName, assertPromptName, assertText, isUuid } from '../shared/validate';
import { ADVISORY_LOCKS, tryLockForTransaction } from '../db/locks';
import {
  deleteInstancesSilentSince,
  holderFacts,
  holdingsOf,
  instancesHolding,
  replaceHoldings,
  upsertInstance,
  type FleetKey,
  type FleetRow,
} from './fleet-store';
import { countByService, instanceState, mergeLabelSince, type FleetStatus, type PromptFacts, type ServiceCounts } from './fleet-status';

export const MAX_REPORTED_PROMPTS = 500;
export const MAX_REPORTED_LABELS = 100;
/** `Fleet.instances` (the list before pagination) stays capped at this; `instancePage` has no cap. */
export const MAX_FLEET_INSTANCES = 1_000;
export const DEFAULT_FLEET_PAGE = 100;
/** Rows deleted per statement when pruning (each its own short transaction). */
const PRUNE_CHUNK = 1_000;

export type ClientStateInput = {
  service: string;
  instanceId: string;
  clientVersion: string;
  intervalMs: number;
  prompts: { name: string; revision: number; labels: { label: string; versionId: string }[] }[];
};

export type FleetLabelView = { label: string; versionId: string; versionNumber: number | null; since: Date };
export type FleetInstanceView = {
  service: string;
  instanceId: string;
  clientVersion: string;
  status: FleetStatus;
  stale: boolean;
  lagging: boolean;
  silent: boolean;
  revision: number;
  since: Date;
  labels: FleetLabelView[];
  intervalMs: number;
  firstSeenAt: Date;
  lastReportAt: Date;
};
/** A prompt's fleet: the counts at once; instances are read when asked for (`instancesOf`, `instancePage`). */
export type FleetView = {
  promptName: string;
  currentRevision: number;
  currentSince: Date;
  labels: FleetLabelView[];
  services: ServiceCounts[];
  /** Every instance in the window, uncapped (the counts' total). */
  totalCount: number;
  /** What the instance reads need: the prompt, its facts and the moment of the view (so pages agree on states). */
  source: { workspaceId: string; promptId: string; facts: PromptFacts; at: Date; since: Date };
};
export type FleetInstanceConnection = {
  edges: { cursor: string; node: FleetInstanceView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
};

const cursorOf = (i: { service: string; instanceId: string }) => encodeCursor('fleet', [i.service, i.instanceId]);

function assertIdentity(value: string, field: string, max: number): string {
  if (value.trim().length === 0) throw new BadInputError(field, `"${field}" must not be empty.`);
  return assertText(value, field, max);
}

function assertReport(input: ClientStateInput): void {
  assertIdentity(input.service, 'input.service', 200);
  assertIdentity(input.instanceId, 'input.instanceId', 200);
  assertIdentity(input.clientVersion, 'input.clientVersion', 50);
  assertIntRange(input.intervalMs, 'input.intervalMs', 100, 3_600_000);
  if (input.prompts.length > MAX_REPORTED_PROMPTS) throw new BadInputError('input.prompts', `At most ${MAX_REPORTED_PROMPTS} prompts per report.`);
  input.prompts.forEach((p, i) => {
    assertPromptName(p.name, `input.prompts.${i}.name`);
    assertIntRange(p.revision, `input.prompts.${i}.revision`, 0, 2_147_483_647);
    if (p.labels.length > MAX_REPORTED_LABELS) throw new BadInputError(`input.prompts.${i}.labels`, `At most ${MAX_REPORTED_LABELS} labels per prompt.`);
    p.labels.forEach((l, j) => {
      assertLabelName(l.label, `input.prompts.${i}.labels.${j}.label`);
      if (!isUuid(l.versionId))
        throw new BadInputError(`input.prompts.${i}.labels.${j}.versionId`, `"input.prompts.${i}.labels.${j}.versionId" is not a valid id.`);
    });
  });
}

export type FleetService = ReturnType<typeof createFleetService>;

export function createFleetService(deps: { db: Db; lagMs: number; retentionHours: number; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const retentionMs = deps.retentionHours * 3_600_000;

  async function report(scope: RequestScope, input: ClientStateInput): Promise<{ acceptedAt: Date; prompts: number }> {
    assertCan(scope.principal, 'fleet:report');
    assertReport(input);
    const workspaceId = scope.principal.workspaceId;
    const at = now();
    const byName = new Map(input.prompts.map((p) => [p.name, p]));
    const found = await promptsByNames(db, workspaceId, [...byName.keys()]);
    const recorded = await db.transaction(async (tx) => {
      const instance = await upsertInstance(
        tx,
        { workspaceId, service: input.service, instanceId: input.instanceId, clientVersion: input.clientVersion, intervalMs: input.intervalMs },
        at,
      );
      const before = new Map((await holdingsOf(tx, instance.id)).map((h) => [h.promptId, h]));
      const rows: ClientInstancePromptRow[] = found.map((prompt) => {
        const held = byName.get(prompt.name)!;
        const previous = before.get(prompt.id);
        return {
          clientInstanceId: instance.id,
          promptId: prompt.id,
          revision: held.revision,
          revisionSince: previous && previous.revision === held.revision ? previous.revisionSince : at,
          labels: mergeLabelSince(
            held.labels.map((l) => ({ label: l.label, versionId: l.versionId.toLowerCase() })),
            previous?.labels,
            at,
          ),
        };
      });
      await replaceHoldings(tx, instance.id, rows);
      return rows.length;
    });
    return { acceptedAt: at, prompts: recorded };
  }

  async function fleet(scope: RequestScope, promptName: string): Promise<FleetView> {
    assertCan(scope.principal, 'fleet:read');
    assertPromptName(promptName, 'promptName');
    const workspaceId = scope.principal.workspaceId;
    const prompt = await findPrompt(db, workspaceId, promptName);
    if (!prompt) throw new NotFoundError(`No prompt named "${promptName}".`);
    const at = now();
    const since = new Date(at.getTime() - retentionMs);
    const facts = { revision: prompt.revision, revisionSince: prompt.updatedAt };
    const [holders, current] = await Promise.all([holderFacts(db, prompt.id, since), labelsOf(db, [prompt.id])]);
    const numbers = await versionNumbers(
      workspaceId,
      prompt.id,
      current.map((l) => l.versionId),
    );
    return {
      promptName: prompt.name,
      currentRevision: prompt.revision,
      currentSince: prompt.updatedAt,
      labels: current
        .map((l) => ({ label: l.name, versionId: l.versionId, versionNumber: numbers.get(l.versionId) ?? null, since: l.updatedAt }))
        .sort((a, b) => a.label.localeCompare(b.label)),
      services: countByService(holders.map((h) => ({ service: h.service, status: instanceState(h, facts, at, deps.lagMs).status }))),
      totalCount: holders.length,
      source: { workspaceId, promptId: prompt.id, facts, at, since },
    };
  }

  async function versionNumbers(workspaceId: string, promptId: string, ids: string[]): Promise<Map<string, number>> {
    const versions = await versionsByIds(db, workspaceId, [...new Set(ids)]);
    return new Map(versions.filter((v) => v.promptId === promptId).map((v) => [v.id, v.number]));
  }

  async function read(view: FleetView, limit: number, after: FleetKey | null): Promise<FleetInstanceView[]> {
    const { workspaceId, promptId, facts, at, since } = view.source;
    const rows: FleetRow[] = await instancesHolding(db, promptId, since, limit, after);
    const numbers = await versionNumbers(
      workspaceId,
      promptId,
      rows.flatMap((r) => r.labels.map((l) => l.versionId)),
    );
    return rows.map((r) => ({
      service: r.instance.service,
      instanceId: r.instance.instanceId,
      clientVersion: r.instance.clientVersion,
      ...instanceState({ revision: r.revision, lastReportAt: r.instance.lastReportAt, intervalMs: r.instance.intervalMs }, facts, at, deps.lagMs),
      revision: r.revision,
      since: r.revisionSince,
      labels: r.labels.map((l) => ({ label: l.label, versionId: l.versionId, versionNumber: numbers.get(l.versionId) ?? null, since: new Date(l.since) })),
      intervalMs: r.instance.intervalMs,
      firstSeenAt: r.instance.firstSeenAt,
      lastReportAt: r.instance.lastReportAt,
    }));
  }

  /** `Fleet.instances`: the first MAX_FLEET_INSTANCES, as before pagination. */
  const instancesOf = (view: FleetView) => read(view, MAX_FLEET_INSTANCES, null);

  async function instancePage(view: FleetView, args: { first?: number | null; after?: string | null }): Promise<FleetInstanceConnection> {
    const limit = assertPageSize(args.first, 'first', DEFAULT_FLEET_PAGE);
    const after = args.after ? decodeCursor(args.after, 'fleet', 2) : null;
    const rows = await read(view, limit + 1, after ? { service: after[0]!, instanceId: after[1]! } : null);
    const nodes = rows.slice(0, limit);
    return {
      edges: nodes.map((node) => ({ cursor: cursorOf(node), node })),
      pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.length ? cursorOf(nodes[nodes.length - 1]!) : null },
      totalCount: view.totalCount,
    };
  }

  /**
   * Deletes instances silent for longer than the retention (until then they show as silent), in chunks
   * of short transactions. Null when another instance holds the prune lock (it is doing the same work).
   */
  async function prune(): Promise<number | null> {
    const cutoff = new Date(now().getTime() - retentionMs);
    let total = 0;
    for (;;) {
      const n = await db.transaction(async (tx) =>
        (await tryLockForTransaction(tx, ADVISORY_LOCKS.fleetPrune, 'fleetPruneLock')) ? deleteInstancesSilentSince(tx, cutoff, PRUNE_CHUNK) : null,
      );
      if (n === null) return total === 0 ? null : total;
      total += n;
      if (n < PRUNE_CHUNK) return total;
    }
  }

  return { report, fleet, instancesOf, instancePage, prune };
}
