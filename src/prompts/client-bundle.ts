/**
 * What the client library fetches to resolve prompts locally (`clientPrompts`): each prompt with its
 * revision, labels, the versions behind them, its running A/B tests and, transitively, every prompt
 * its templates include; and `promptRevisions`, the one-request re-check after a reconnect.
 */
import { assertCan, can } from '../auth/permissions';
import type { Db } from '../db/client';
import type { PromptRow, VersionRow } from '../db/schema';
import { BadInputError, ForbiddenError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { assertPromptName } from '../shared/validate';
import { MAX_INCLUDE_DEPTH, type CompiledVersionContent } from '../templates';
import { labelVersions } from './label-store';
import { promptsByNames, revisionsByNames } from './prompt-store';
import { latestVersions, versionsByIds, versionsByNumbers } from './version-store';

export const MAX_BUNDLE_NAMES = 100;
export const MAX_REVISION_NAMES = 500;

/** A running test as the client needs it; the experiments module provides these (see `runningTests`). */
export type RunningTestSnapshot = {
  id: string;
  promptId: string;
  label: string;
  salt: string;
  allocation: unknown;
  variants: { key: string; versionId: string }[];
};
/** The running A/B tests of some prompts of a workspace. */
export type RunningTestsLoader = (workspaceId: string, promptIds: string[]) => Promise<RunningTestSnapshot[]>;

export type ClientVersionData = Pick<
  VersionRow,
  | 'id'
  | 'number'
  | 'type'
  | 'template'
  | 'systemMessage'
  | 'messages'
  | 'variables'
  | 'model'
  | 'temperature'
  | 'maxTokens'
  | 'config'
  | 'tools'
  | 'responseFormat'
>;
export type ClientPromptData = {
  name: string;
  revision: number;
  labels: { name: string; versionId: string }[];
  latestVersionId: string | null;
  versions: ClientVersionData[];
  abTests: Omit<RunningTestSnapshot, 'promptId'>[];
};

type Loaded = { prompt: PromptRow; data: ClientPromptData; versionIds: Set<string>; rows: VersionRow[] };

const noTests: RunningTestsLoader = async () => [];

function assertNames(names: readonly string[], max: number): string[] {
  if (names.length > max) throw new BadInputError('names', `At most ${max} names per request.`);
  names.forEach((n, i) => assertPromptName(n, `names.${i}`));
  return [...new Set(names)];
}

function clientVersion(v: VersionRow): ClientVersionData {
  const { id, number, type, template, systemMessage, messages, variables, model, temperature, maxTokens, config, tools, responseFormat } = v;
  return { id, number, type, template, systemMessage, messages, variables, model, temperature, maxTokens, config, tools, responseFormat };
}

export type ClientBundles = ReturnType<typeof createClientBundles>;

/** `compile` is the resolver's (cached by version id): it tells which prompts a version includes. */
export function createClientBundles(deps: { db: Db; compile: (v: VersionRow) => CompiledVersionContent; runningTests?: RunningTestsLoader }) {
  const runningTests = deps.runningTests ?? noTests;

  function addVersion(entry: Loaded, v: VersionRow): void {
    if (entry.versionIds.has(v.id)) return;
    entry.versionIds.add(v.id);
    entry.rows.push(v);
    entry.data.versions.push(clientVersion(v));
  }

  /**
   * One level of prompts. The revision is read BEFORE labels and versions: if a change lands in
   * between, the content is newer than the revision and the change's event makes the client refetch;
   * the other order could pair old content with the new revision and the event would be ignored.
   */
  async function loadLevel(workspaceId: string, names: string[]): Promise<Loaded[]> {
    const rows = await promptsByNames(deps.db, workspaceId, names);
    if (rows.length === 0) return [];
    const ids = rows.map((p) => p.id);
    const [labelRows, latestRows, tests] = await Promise.all([labelVersions(deps.db, ids), latestVersions(deps.db, ids), runningTests(workspaceId, ids)]);
    const byId = new Map<string, Loaded>(
      rows.map((prompt) => [
        prompt.id,
        {
          prompt,
          versionIds: new Set(),
          rows: [],
          data: { name: prompt.name, revision: prompt.revision, labels: [], latestVersionId: null, versions: [], abTests: [] },
        },
      ]),
    );
    for (const { label, version } of labelRows) {
      const entry = byId.get(version.promptId)!;
      entry.data.labels.push({ name: label, versionId: version.id });
      addVersion(entry, version);
    }
    for (const v of latestRows.values()) {
      const entry = byId.get(v.promptId)!;
      entry.data.latestVersionId = v.id;
      addVersion(entry, v);
    }
    const variantIds = new Set<string>();
    for (const t of tests) {
      const entry = byId.get(t.promptId);
      if (!entry) continue;
      entry.data.abTests.push({ id: t.id, label: t.label, salt: t.salt, allocation: t.allocation, variants: t.variants });
      for (const v of t.variants) if (!entry.versionIds.has(v.versionId)) variantIds.add(v.versionId);
    }
    if (variantIds.size > 0) {
      const extra = await versionsByIds(deps.db, workspaceId, [...variantIds]);
      for (const v of extra) {
        const entry = byId.get(v.promptId);
        if (entry) addVersion(entry, v);
      }
    }
    return [...byId.values()];
  }

  /** Versions pinned by includes (`{{> name#3}}`) that no label, test or `latest` already brought. */
  async function addPinned(all: Map<string, Loaded>, pinned: Map<string, Set<number>>): Promise<void> {
    await Promise.all(
      [...pinned].map(async ([name, numbers]) => {
        const entry = all.get(name);
        if (!entry) return;
        const have = new Set(entry.data.versions.map((v) => v.number));
        const missing = [...numbers].filter((n) => !have.has(n));
        if (missing.length === 0) return;
        const rows = await versionsByNumbers(deps.db, entry.prompt.id, missing);
        for (const v of rows) addVersion(entry, v);
      }),
    );
  }

  /** The named prompts plus every prompt their versions include, down to the include depth limit. */
  async function bundle(scope: RequestScope, names: readonly string[]): Promise<ClientPromptData[]> {
    assertCan(scope.principal, 'prompt:resolve');
    const workspaceId = scope.principal.workspaceId;
    const all = new Map<string, Loaded>();
    const pinned = new Map<string, Set<number>>();
    let pending = assertNames(names, MAX_BUNDLE_NAMES);
    for (let depth = 0; pending.length > 0 && depth <= MAX_INCLUDE_DEPTH; depth++) {
      const level = await loadLevel(workspaceId, pending);
      const next = new Set<string>();
      for (const entry of level) all.set(entry.prompt.name, entry);
      for (const entry of level) {
        for (const v of entry.rows) {
          for (const ref of deps.compile(v).includes) {
            if (ref.version !== undefined) pinned.set(ref.name, (pinned.get(ref.name) ?? new Set()).add(ref.version));
            if (!all.has(ref.name)) next.add(ref.name);
          }
        }
      }
      pending = [...next];
    }
    await addPinned(all, pinned);
    return [...all.values()].map((e) => e.data);
  }

  /** Current revisions, in the order asked; null where the workspace has no such prompt. */
  async function revisions(scope: RequestScope, names: readonly string[]): Promise<{ name: string; revision: number | null }[]> {
    if (!can(scope.principal, 'prompt:resolve') && !can(scope.principal, 'prompt:read')) throw new ForbiddenError('This key may not read prompts.');
    const distinct = assertNames(names, MAX_REVISION_NAMES);
    if (distinct.length === 0) return [];
    const byName = await revisionsByNames(deps.db, scope.principal.workspaceId, distinct);
    return names.map((name) => ({ name, revision: byName.get(name) ?? null }));
  }

  return { bundle, revisions };
}
