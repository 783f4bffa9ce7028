/**
 * Fleet reports: the client tells the server, over the WebSocket it already holds, who it is (service,
 * instance id, library version) and which revision of each prompt it holds with the version behind
 * every label it has served: on connect, soon after each change it picks up, and every interval. The
 * server's `fleet(promptName)` view is built from these; an instance that stops reporting shows as silent.
 */
import os from 'node:os';
import path from 'node:path';
import type { HeldPrompt } from './local-render';

/** The client library's version, as reported to the fleet view (kept equal to packages/client/package.json's by a test). */
export const CLIENT_VERSION = '0.1.0';

const REPORT = `mutation ClientReport($input: ClientStateInput!) { reportClientState(input: $input) { acceptedAt } }`;
/** A burst of picked-up changes (one label move refetches several prompts) is one report. */
const CHANGE_DEBOUNCE_MS = 50;

export type FleetReportOptions = {
  /** The service name shown in the fleet view (default: the entry script's name). */
  service?: string;
  /** This instance's id within the service (default: host name, pid and a random suffix). */
  instanceId?: string;
  /** How often to report when nothing changed (default 60,000 ms; the server calls an instance silent after two). */
  intervalMs?: number;
};

export type HeldReport = { name: string; revision: number; labels: { label: string; versionId: string }[] };

function defaultService(): string {
  const entry = process.argv[1];
  return entry ? path.basename(entry).replace(/\.[^.]+$/, '') || 'unknown' : 'unknown';
}

/** What is held, with the labels this instance has served (a copy holds every label; it serves only those asked for). */
export function heldReport(held: Map<string, HeldPrompt>, served: Map<string, Set<string>>): HeldReport[] {
  return [...held.values()].map((h) => ({
    name: h.data.name,
    revision: h.data.revision,
    labels: [...(served.get(h.data.name) ?? [])].flatMap((label) => {
      const versionId = h.labels.get(label);
      return versionId ? [{ label, versionId }] : [];
    }),
  }));
}

export function startFleetReports(o: {
  options: FleetReportOptions;
  send(query: string, variables: Record<string, unknown>): Promise<unknown>;
  held(): HeldReport[];
  onError(error: Error, context: string): void;
}) {
  const intervalMs = o.options.intervalMs ?? 60_000;
  const identity = {
    service: o.options.service ?? defaultService(),
    instanceId: o.options.instanceId ?? `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    clientVersion: CLIENT_VERSION,
    intervalMs,
  };
  let stopped = false;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  function report(): void {
    if (stopped) return;
    o.send(REPORT, { input: { ...identity, prompts: o.held() } }).catch((err: unknown) =>
      o.onError(err instanceof Error ? err : new Error(String(err)), 'fleet report'),
    );
  }
  const timer = setInterval(report, intervalMs);
  timer.unref?.();

  return {
    identity,
    /** Reports now (on connect). */
    report,
    /** Reports shortly (after a picked-up change). */
    changed(): void {
      if (stopped || debounce) return;
      debounce = setTimeout(() => {
        debounce = undefined;
        report();
      }, CHANGE_DEBOUNCE_MS);
      debounce.unref?.();
    },
    stop(): void {
      stopped = true;
      clearInterval(timer);
      clearTimeout(debounce);
    },
  };
}
