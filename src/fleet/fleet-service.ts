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
import { assertIntRange, assertLabelName, assertPromptName, assertText, isUuid } from '../shared/validate';
import { holdingsOf, instancesHolding, replaceHoldings, upsertInstance } from './fleet-store';
import { countByService, instanceState, mergeLabelSince, type FleetStatus, type ServiceCounts } from './fleet-status';

export const MAX_REPORTED_PROMPTS = 500;
export const MAX_REPORTED_LABELS = 100;
/** Instances that have not reported for this long drop out of the view. */
export const FLEET_WINDOW_MS = 24 * 3_600_000;
export const MAX_FLEET_INSTANCES = 1_000;

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
export type FleetView = {
  promptName: string;
  currentRevision: number;
  currentSince: Date;
  labels: FleetLabelView[];
  services: ServiceCounts[];
  instances: FleetInstanceView[];
};

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

export function createFleetService(deps: { db: Db; lagMs: number; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

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
    const [rows, current] = await Promise.all([
      instancesHolding(db, prompt.id, new Date(at.getTime() - FLEET_WINDOW_MS), MAX_FLEET_INSTANCES),
      labelsOf(db, [prompt.id]),
    ]);
    const versionIds = new Set([...current.map((l) => l.versionId), ...rows.flatMap((r) => r.labels.map((l) => l.versionId))]);
    const numbers = new Map((await versionsByIds(db, workspaceId, [...versionIds])).filter((v) => v.promptId === prompt.id).map((v) => [v.id, v.number]));
    const facts = { revision: prompt.revision, revisionSince: prompt.updatedAt };
    const instances: FleetInstanceView[] = rows.map((r) => ({
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
    return {
      promptName: prompt.name,
      currentRevision: prompt.revision,
      currentSince: prompt.updatedAt,
      labels: current
        .map((l) => ({ label: l.name, versionId: l.versionId, versionNumber: numbers.get(l.versionId) ?? null, since: l.updatedAt }))
        .sort((a, b) => a.label.localeCompare(b.label)),
      services: countByService(instances),
      instances,
    };
  }

  return { report, fleet };
}
