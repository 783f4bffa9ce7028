/** Pure rules of the fleet view: an instance's state against the prompt's current revision, and the per-service counts. */

export type FleetStatus = 'CURRENT' | 'STALE' | 'LAGGING' | 'SILENT';

export type InstanceFacts = { revision: number; lastReportAt: Date; intervalMs: number };
export type PromptFacts = { revision: number; revisionSince: Date };

export type InstanceState = { status: FleetStatus; stale: boolean; lagging: boolean; silent: boolean };

/** Silent after two missed reports; lagging once still stale `lagMs` after the change. Silent wins. */
export function instanceState(instance: InstanceFacts, prompt: PromptFacts, now: Date, lagMs: number): InstanceState {
  const silent = now.getTime() - instance.lastReportAt.getTime() > 2 * instance.intervalMs;
  const stale = instance.revision < prompt.revision;
  const lagging = stale && now.getTime() - prompt.revisionSince.getTime() > lagMs;
  const status: FleetStatus = silent ? 'SILENT' : lagging ? 'LAGGING' : stale ? 'STALE' : 'CURRENT';
  return { status, stale, lagging, silent };
}

export type ServiceCounts = { service: string; instances: number; current: number; stale: number; lagging: number; silent: number };

export function countByService(rows: { service: string; status: FleetStatus }[]): ServiceCounts[] {
  const by = new Map<string, ServiceCounts>();
  for (const r of rows) {
    let c = by.get(r.service);
    if (!c) by.set(r.service, (c = { service: r.service, instances: 0, current: 0, stale: 0, lagging: 0, silent: 0 }));
    c.instances++;
    if (r.status === 'CURRENT') c.current++;
    else if (r.status === 'STALE') c.stale++;
    else if (r.status === 'LAGGING') c.lagging++;
    else c.silent++;
  }
  return [...by.values()].sort((a, b) => a.service.localeCompare(b.service));
}

/** Labels of a new report, each keeping its `since` when the instance already held the same version there. */
export function mergeLabelSince(
  reported: { label: string; versionId: string }[],
  previous: { label: string; versionId: string; since: string }[] | undefined,
  now: Date,
): { label: string; versionId: string; since: string }[] {
  const before = new Map((previous ?? []).map((l) => [l.label, l]));
  return reported.map((l) => {
    const p = before.get(l.label);
    return { label: l.label, versionId: l.versionId, since: p && p.versionId === l.versionId ? p.since : now.toISOString() };
  });
}
