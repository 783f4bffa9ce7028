/**
 * The hot path: resolvePrompt and renderVersion. Each prompt's resolution state (labels → versions)
 * lives in a per-instance cache evicted by change events and bounded by a TTL; compiled templates
 * are cached by version id forever (versions are immutable), so a warm resolve does no I/O and no
 * parsing.
 */
import { assertCan } from '../auth/permissions';
import type { Db, Executor } from '../db/client';
import { isDbUnavailable } from '../db/failures';
import type { PromptRow, VersionRow } from '../db/schema';
import { NotFoundError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import type { ResolvedPrompt } from '../shared/resolved-prompt';
import { createBoundedMap, createTtlCache } from '../shared/ttl-cache';
import { assertLabelName, assertUuid } from '../shared/validate';
import {
  includedTemplateOf,
  compileVersionContent,
  preloadIncludes,
  type CompiledTemplate,
  type CompiledVersionContent,
  type IncludeRef,
  type PreloadedIncludes,
  type VariableDeclaration,
} from '../templates';
import type { LabelPolicy, LabelTest } from './label-policy';
import { labelVersions } from './label-store';
import { findPrompt, findPromptById } from './prompt-store';
import { findVersion, latestVersion, versionByNumber } from './version-store';
import { LATEST_LABEL } from '../shared/labels';

export type ResolutionState = { prompt: PromptRow; labels: Map<string, VersionRow>; latest: VersionRow | null; tests: Map<string, LabelTest> };

export type { ResolvedPrompt } from '../shared/resolved-prompt';

const cacheKey = (workspaceId: string, name: string) => `${workspaceId}\u0000${name}`;

/** Without `testsOn` (includes: only labels matter) the state has no tests. */
async function loadState(db: Executor, key: string, testsOn?: LabelPolicy['testsOn']): Promise<ResolutionState | null> {
  const [workspaceId, name] = key.split('\u0000') as [string, string];
  const prompt = await findPrompt(db, workspaceId, name);
  if (!prompt) return null;
  const [rows, latest, tests] = await Promise.all([
    labelVersions(db, [prompt.id]),
    latestVersion(db, prompt.id),
    testsOn ? testsOn(db, prompt.id) : new Map<string, LabelTest>(),
  ]);
  return { prompt, labels: new Map(rows.map((r) => [r.label, r.version])), latest, tests };
}

export type ResolutionCache = ReturnType<typeof createResolutionCache>;

/** The version an include reference means in a prompt's state: a label (default production), `latest`, or a pinned number. */
async function versionOfRef(
  s: ResolutionState | null,
  ref: IncludeRef,
  pinnedVersion: (promptId: string, number: number) => Promise<VersionRow | null | undefined>,
): Promise<VersionRow> {
  if (!s) throw new NotFoundError(`Included prompt "${ref.name}" does not exist.`);
  if (ref.version !== undefined) {
    const v = await pinnedVersion(s.prompt.id, ref.version);
    if (!v) throw new NotFoundError(`Included prompt "${ref.name}" has no version ${ref.version}.`);
    return v;
  }
  const label = ref.label ?? 'production';
  const v = label === LATEST_LABEL ? s.latest : s.labels.get(label);
  if (!v) throw new NotFoundError(`Included prompt "${ref.name}" has no label "${label}".`);
  return v;
}

const compileRow = (version: VersionRow): CompiledVersionContent =>
  compileVersionContent({
    type: version.type,
    template: version.template,
    systemMessage: version.systemMessage,
    messages: version.messages,
    variables: version.variables as VariableDeclaration[],
  });

/**
 * Preloads includes reading through `exec` directly (no cache): createVersion runs it inside its transaction, where
 * the cache's own connection must not be waited on (PGlite has one connection) and a fresh read is what we want.
 */
export function loadIncludesWith(
  exec: Executor,
  workspaceId: string,
  roots: ReadonlyArray<CompiledTemplate | null>,
  rootName?: string,
): Promise<PreloadedIncludes> {
  return preloadIncludes(
    roots,
    async (ref) => {
      const s = await loadState(exec, cacheKey(workspaceId, ref.name));
      return includedTemplateOf(ref, compileRow(await versionOfRef(s, ref, (promptId, n) => versionByNumber(exec, promptId, n))));
    },
    rootName,
  );
}

/** `ttlMs` bounds a cached prompt's life; a function lets the app shorten it while events cannot arrive. */
export function createResolutionCache(deps: { db: Db; ttlMs: number | (() => number); labelPolicy: LabelPolicy }) {
  const states = createTtlCache<ResolutionState | null>({
    ttlMs: deps.ttlMs,
    maxEntries: 10_000,
    load: (key) => loadState(deps.db, key, deps.labelPolicy.testsOn),
    // While the database cannot answer, an expired prompt is served as it was: nobody can change it meanwhile (a change
    // needs the database), and a change made before evicted it (events) or cleared the cache (pub/sub down).
    serveStale: isDbUnavailable,
  });
  const compiled = createBoundedMap<CompiledVersionContent>(5_000);
  const pinned = createBoundedMap<VersionRow>(5_000);

  function compile(version: VersionRow): CompiledVersionContent {
    let c = compiled.get(version.id);
    if (!c) {
      c = compileRow(version);
      compiled.set(version.id, c);
    }
    return c;
  }

  async function state(workspaceId: string, name: string): Promise<ResolutionState | null> {
    return states.get(cacheKey(workspaceId, name));
  }

  /** The version an include reference means, through the per-prompt cache (pinned numbers cached too: immutable). */
  async function includedVersion(workspaceId: string, ref: IncludeRef): Promise<VersionRow> {
    return versionOfRef(await state(workspaceId, ref.name), ref, async (promptId, number) => {
      const key = `${promptId}#${number}`;
      let v = pinned.get(key);
      if (!v) {
        v = (await versionByNumber(deps.db, promptId, number)) ?? undefined;
        if (v) pinned.set(key, v);
      }
      return v;
    });
  }

  type Assigned = { abTestId: string; variant: string } | null;
  function toResolved(
    version: VersionRow,
    promptName: string,
    label: string | null,
    rendered: ReturnType<CompiledVersionContent['render']>,
    ab: Assigned = null,
  ): ResolvedPrompt {
    return {
      text: rendered.text,
      systemMessage: rendered.systemMessage,
      messages: rendered.messages,
      model: version.model,
      temperature: version.temperature,
      maxTokens: version.maxTokens,
      config: version.config,
      tools: version.tools ?? null,
      responseFormat: version.responseFormat ?? null,
      versionId: version.id,
      versionNumber: version.number,
      promptName,
      label,
      abTestId: ab?.abTestId ?? null,
      variant: ab?.variant ?? null,
      warnings: rendered.warnings,
    };
  }

  /**
   * Preloads every include reachable from `roots` through the per-prompt cache (so a label move of an included
   * prompt is seen at once), with cycle/depth checks and each included version's contract. Only TEXT prompts can be
   * included; the contract passed on is the included template's part of it (its system message is not included).
   */
  function loadIncludes(workspaceId: string, roots: ReadonlyArray<CompiledTemplate | null>, rootName?: string): Promise<PreloadedIncludes> {
    return preloadIncludes(roots, async (ref) => includedTemplateOf(ref, compile(await includedVersion(workspaceId, ref))), rootName);
  }

  /** Renders synchronously when the version has no includes (the common hot path), else preloads them first. */
  function renderRow(
    workspaceId: string,
    promptName: string,
    version: VersionRow,
    variables: unknown,
    label: string | null,
    ab: Assigned = null,
  ): ResolvedPrompt | Promise<ResolvedPrompt> {
    const content = compile(version);
    if (content.includes.length === 0) return toResolved(version, promptName, label, content.render(variables ?? {}, { promptName }), ab);
    const roots = [content.template, content.systemMessage, ...(content.messages ?? []).map((m) => ('template' in m ? m.template : null))];
    return loadIncludes(workspaceId, roots, promptName).then(({ resolveInclude, variables: includedVariables }) =>
      toResolved(version, promptName, label, content.render(variables ?? {}, { resolveInclude, promptName, includedVariables }), ab),
    );
  }

  function resolveFrom(
    s: ResolutionState | null,
    scope: RequestScope,
    name: unknown,
    label: string,
    variables: unknown,
    requestId?: string | null,
  ): ResolvedPrompt | Promise<ResolvedPrompt> {
    if (!s) throw new NotFoundError(`No prompt named "${String(name).slice(0, 128)}".`);
    // A/B: a running test on the label serves the variant of this request id (sticky; random without one).
    const test = label === LATEST_LABEL ? undefined : s.tests.get(label);
    if (test) {
      const variant = test.assign(requestId);
      return renderRow(scope.principal.workspaceId, s.prompt.name, test.versions.get(variant)!, variables, label, { abTestId: test.id, variant });
    }
    const version = label === LATEST_LABEL ? s.latest : s.labels.get(label);
    if (!version) throw new NotFoundError(`Prompt "${s.prompt.name}" has no ${label === LATEST_LABEL ? 'version' : `label "${label}"`}.`);
    return renderRow(scope.principal.workspaceId, s.prompt.name, version, variables, label);
  }

  /** The hot path: with the prompt cached, no promise, no I/O and no parsing. */
  function resolve(
    scope: RequestScope,
    args: { name: string; variables?: unknown; label?: string | null; requestId?: string | null },
  ): ResolvedPrompt | Promise<ResolvedPrompt> {
    assertCan(scope.principal, 'prompt:resolve');
    const label = assertLabelName(args.label ?? 'production', 'label');
    if (typeof args.name !== 'string' || args.name.length > 128) throw new NotFoundError(`No prompt named "${String(args.name).slice(0, 128)}".`);
    const key = cacheKey(scope.principal.workspaceId, args.name);
    const cached = states.peek(key);
    if (cached !== undefined) return resolveFrom(cached, scope, args.name, label, args.variables, args.requestId);
    return states.get(key).then((s) => resolveFrom(s, scope, args.name, label, args.variables, args.requestId));
  }

  async function renderVersion(scope: RequestScope, versionId: string, variables: unknown): Promise<ResolvedPrompt> {
    assertCan(scope.principal, 'prompt:resolve');
    const version = await findVersion(deps.db, scope.principal.workspaceId, assertUuid(versionId, 'versionId'));
    if (!version) throw new NotFoundError('No version with this id.');
    const prompt = await findPromptById(deps.db, version.workspaceId, version.promptId);
    return renderRow(scope.principal.workspaceId, prompt!.name, version, variables, null);
  }

  return {
    resolve,
    renderVersion,
    compile,
    loadIncludes,
    evict: (workspaceId: string, name: string) => states.evict(cacheKey(workspaceId, name)),
    clear: () => states.clear(),
    cachedPrompts: () => states.size(),
  };
}
