/**
 * The hot path: resolvePrompt and renderVersion. Each prompt's resolution state (labels → versions)
 * lives in a per-instance cache evicted by change events and bounded by a TTL; compiled templates
 * are cached by version id forever (versions are immutable), so a warm resolve does no I/O and no
 * parsing.
 */
import { and, desc, eq } from 'drizzle-orm';
import { assertCan } from '../auth/permissions';
import type { Db } from '../db/client';
import { labels, prompts, promptVersions, type PromptRow, type VersionRow } from '../db/schema';
import { BadInputError, NotFoundError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import { createBoundedMap, createTtlCache } from '../shared/ttl-cache';
import { assertLabelName, assertUuid } from '../shared/validate';
import { compileVersionContent, preloadIncludes, type CompiledVersionContent, type IncludeRef, type VariableDeclaration } from '../templates';
import { findVersion } from './prompt-store';

export type ResolutionState = { prompt: PromptRow; labels: Map<string, VersionRow>; latest: VersionRow | null };

export type ResolvedPrompt = {
  text: string | null;
  systemMessage: string | null;
  messages: { role: 'SYSTEM' | 'USER' | 'ASSISTANT'; content: string }[] | null;
  model: string;
  temperature: number;
  maxTokens: number;
  config: unknown;
  versionId: string;
  versionNumber: number;
  promptName: string;
  label: string | null;
  abTestId: string | null;
  variant: string | null;
  warnings: string[];
};

const cacheKey = (workspaceId: string, name: string) => `${workspaceId}\u0000${name}`;

async function loadState(db: Db, key: string): Promise<ResolutionState | null> {
  const [workspaceId, name] = key.split('\u0000') as [string, string];
  const [prompt] = await db.select().from(prompts).where(and(eq(prompts.workspaceId, workspaceId), eq(prompts.name, name)));
  if (!prompt) return null;
  const [rows, latestRows] = await Promise.all([
    db.select({ label: labels.name, version: promptVersions }).from(labels).innerJoin(promptVersions, eq(promptVersions.id, labels.versionId)).where(eq(labels.promptId, prompt.id)),
    db.select().from(promptVersions).where(eq(promptVersions.promptId, prompt.id)).orderBy(desc(promptVersions.number)).limit(1),
  ]);
  return { prompt, labels: new Map(rows.map((r) => [r.label, r.version])), latest: latestRows[0] ?? null };
}

export type Resolver = ReturnType<typeof createResolver>;

export function createResolver(deps: { db: Db; ttlMs: number }) {
  const states = createTtlCache<ResolutionState | null>({ ttlMs: deps.ttlMs, maxEntries: 10_000, load: (key) => loadState(deps.db, key) });
  const compiled = createBoundedMap<CompiledVersionContent>(5_000);
  const pinned = createBoundedMap<VersionRow>(5_000);

  function compile(version: VersionRow): CompiledVersionContent {
    let c = compiled.get(version.id);
    if (!c) {
      c = compileVersionContent({
        type: version.type,
        template: version.template,
        systemMessage: version.systemMessage,
        messages: version.messages,
        variables: version.variables as VariableDeclaration[],
      });
      compiled.set(version.id, c);
    }
    return c;
  }

  async function state(workspaceId: string, name: string): Promise<ResolutionState | null> {
    return states.get(cacheKey(workspaceId, name));
  }

  /** The version an include reference means: a label (default production) or a pinned number. */
  async function includedVersion(workspaceId: string, ref: IncludeRef): Promise<VersionRow> {
    const s = await state(workspaceId, ref.name);
    if (!s) throw new NotFoundError(`Included prompt "${ref.name}" does not exist.`);
    if (ref.version !== undefined) {
      const key = `${s.prompt.id}#${ref.version}`;
      let v = pinned.get(key);
      if (!v) {
        [v] = await deps.db.select().from(promptVersions).where(and(eq(promptVersions.promptId, s.prompt.id), eq(promptVersions.number, ref.version)));
        if (!v) throw new NotFoundError(`Included prompt "${ref.name}" has no version ${ref.version}.`);
        pinned.set(key, v);
      }
      return v;
    }
    const label = ref.label ?? 'production';
    const v = label === 'latest' ? s.latest : s.labels.get(label);
    if (!v) throw new NotFoundError(`Included prompt "${ref.name}" has no label "${label}".`);
    return v;
  }

  function toResolved(version: VersionRow, promptName: string, label: string | null, rendered: ReturnType<CompiledVersionContent['render']>): ResolvedPrompt {
    return {
      text: rendered.text,
      systemMessage: rendered.systemMessage,
      messages: rendered.messages,
      model: version.model,
      temperature: version.temperature,
      maxTokens: version.maxTokens,
      config: version.config,
      versionId: version.id,
      versionNumber: version.number,
      promptName,
      label,
      abTestId: null,
      variant: null,
      warnings: rendered.warnings,
    };
  }

  /** Renders synchronously when the version has no includes (the common hot path), else preloads them first. */
  function renderRow(workspaceId: string, promptName: string, version: VersionRow, variables: unknown, label: string | null): ResolvedPrompt | Promise<ResolvedPrompt> {
    const content = compile(version);
    if (content.includes.length === 0) return toResolved(version, promptName, label, content.render(variables ?? {}, { promptName }));
    const roots = [content.template, content.systemMessage, ...(content.messages ?? []).map((m) => ('template' in m ? m.template : null))];
    return preloadIncludes(roots, async (ref) => {
      const included = compile(await includedVersion(workspaceId, ref));
      if (!included.template) throw new BadInputError('template', `Included prompt "${ref.name}" is a CHAT prompt; only TEXT prompts can be included.`);
      return included.template;
    }, promptName).then(({ resolveInclude }) => toResolved(version, promptName, label, content.render(variables ?? {}, { resolveInclude, promptName })));
  }

  function resolveFrom(s: ResolutionState | null, scope: RequestScope, name: unknown, label: string, variables: unknown): ResolvedPrompt | Promise<ResolvedPrompt> {
    if (!s) throw new NotFoundError(`No prompt named "${String(name).slice(0, 128)}".`);
    const version = label === 'latest' ? s.latest : s.labels.get(label);
    if (!version) throw new NotFoundError(`Prompt "${s.prompt.name}" has no ${label === 'latest' ? 'version' : `label "${label}"`}.`);
    return renderRow(scope.principal.workspaceId, s.prompt.name, version, variables, label);
  }

  /** The hot path: with the prompt cached, no promise, no I/O and no parsing. */
  function resolve(scope: RequestScope, args: { name: string; variables?: unknown; label?: string | null; requestId?: string | null }): ResolvedPrompt | Promise<ResolvedPrompt> {
    assertCan(scope.principal, 'prompt:resolve');
    const label = assertLabelName(args.label ?? 'production', 'label');
    if (typeof args.name !== 'string' || args.name.length > 128) throw new NotFoundError(`No prompt named "${String(args.name).slice(0, 128)}".`);
    const key = cacheKey(scope.principal.workspaceId, args.name);
    const cached = states.peek(key);
    if (cached !== undefined) return resolveFrom(cached, scope, args.name, label, args.variables);
    return states.get(key).then((s) => resolveFrom(s, scope, args.name, label, args.variables));
  }

  async function renderVersion(scope: RequestScope, versionId: string, variables: unknown): Promise<ResolvedPrompt> {
    assertCan(scope.principal, 'prompt:resolve');
    const version = await findVersion(deps.db, scope.principal.workspaceId, assertUuid(versionId, 'versionId'));
    if (!version) throw new NotFoundError('No version with this id.');
    const [prompt] = await deps.db.select({ name: prompts.name }).from(prompts).where(eq(prompts.id, version.promptId));
    return renderRow(scope.principal.workspaceId, prompt!.name, version, variables, null);
  }

  return {
    resolve,
    renderVersion,
    compile,
    evict: (workspaceId: string, name: string) => states.evict(cacheKey(workspaceId, name)),
    clear: () => states.clear(),
    cachedPrompts: () => states.size(),
  };
}
