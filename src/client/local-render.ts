/**
 * Local resolution of held prompts: picks the version behind a label (or the A/B variant, with the
 * server's hash and allocation), renders it with the server's template module, includes too. Pure: no I/O.
 */
import type { Allocation } from '../experiments/allocation';
import { assignVariant } from '../experiments/assignment';
import { NotFoundError } from '../errors';
import {
  compileVersionContent,
  includedTemplateOf,
  preloadIncludes,
  type CompiledTemplate,
  type CompiledVersionContent,
  type IncludeRef,
  type RenderedContent,
} from '../templates';
import type { FallbackPrompt, ResolvedPrompt, WireABTest, WirePrompt, WireVersion } from './types';
import { LATEST_LABEL } from '../shared/labels';

/** A prompt as held by the client, indexed for the hot path. */
export type HeldPrompt = {
  data: WirePrompt;
  versions: Map<string, WireVersion>;
  labels: Map<string, string>;
  tests: Map<string, WireABTest>;
  /** Loaded from the snapshot file and not yet confirmed by the server. */
  fromSnapshot: boolean;
};

export function holdPrompt(data: WirePrompt, fromSnapshot = false): HeldPrompt {
  return {
    data,
    versions: new Map(data.versions.map((v) => [v.id, v])),
    labels: new Map(data.labels.map((l) => [l.name, l.versionId])),
    tests: new Map(data.abTests.map((t) => [t.label, t])),
    fromSnapshot,
  };
}

export type Rendered = Omit<ResolvedPrompt, 'stale'>;
export type Choice = { version: WireVersion; abTestId: string | null; variant: string | null };

const DEFAULTS = { model: 'claude-sonnet-4-20250514', temperature: 0.7, maxTokens: 1000 };

/** A caller's fallback as a version the renderer understands; its id says it never came from the server. */
export function fallbackVersion(name: string, fallback: FallbackPrompt): WireVersion {
  const f = typeof fallback === 'string' ? { template: fallback } : fallback;
  return {
    id: f.versionId ?? `fallback:${name}`,
    number: f.versionNumber ?? 0,
    type: f.messages ? 'CHAT' : 'TEXT',
    template: f.template ?? null,
    systemMessage: f.systemMessage ?? null,
    messages: f.messages ?? null,
    variables: f.variables ?? [],
    model: f.model ?? DEFAULTS.model,
    temperature: f.temperature ?? DEFAULTS.temperature,
    maxTokens: f.maxTokens ?? DEFAULTS.maxTokens,
    config: f.config ?? null,
    tools: f.tools ?? null,
    responseFormat: f.responseFormat ?? null,
  };
}

export function createLocalRenderer(lookup: (name: string) => HeldPrompt | undefined) {
  // Versions are immutable, so a compiled version is good for as long as it is referenced.
  const compiled = new Map<string, CompiledVersionContent>();

  function compile(v: WireVersion): CompiledVersionContent {
    let c = compiled.get(v.id);
    if (!c) {
      if (compiled.size >= 5_000) compiled.clear();
      c = compileVersionContent({ type: v.type, template: v.template, systemMessage: v.systemMessage, messages: v.messages, variables: v.variables });
      compiled.set(v.id, c);
    }
    return c;
  }

  function includedVersion(ref: IncludeRef): WireVersion {
    const held = lookup(ref.name);
    if (!held) throw new NotFoundError(`Included prompt "${ref.name}" does not exist.`);
    if (ref.version !== undefined) {
      for (const v of held.versions.values()) if (v.number === ref.version) return v;
      throw new NotFoundError(`Included prompt "${ref.name}" has no version ${ref.version}.`);
    }
    const label = ref.label ?? 'production';
    const id = label === LATEST_LABEL ? held.data.latestVersionId : held.labels.get(label);
    const v = id ? held.versions.get(id) : undefined;
    if (!v) throw new NotFoundError(`Included prompt "${ref.name}" has no label "${label}".`);
    return v;
  }

  /** The version a label serves: the A/B variant when a test runs on it (sticky by request id), else the label's. */
  function choose(held: HeldPrompt, label: string, requestId: string | undefined): Choice {
    const test = label === LATEST_LABEL ? undefined : held.tests.get(label);
    if (test) {
      const key = assignVariant(test.allocation as Allocation, test.salt, requestId);
      const versionId = test.variants.find((v) => v.key === key)?.versionId;
      const version = versionId ? held.versions.get(versionId) : undefined;
      if (version) return { version, abTestId: test.id, variant: key };
    }
    const id = label === LATEST_LABEL ? held.data.latestVersionId : held.labels.get(label);
    const version = id ? held.versions.get(id) : undefined;
    if (!version) throw new NotFoundError(`Prompt "${held.data.name}" has no ${label === LATEST_LABEL ? 'version' : `label "${label}"`}.`);
    return { version, abTestId: null, variant: null };
  }

  function result(promptName: string, label: string | null, choice: Choice, r: RenderedContent): Rendered {
    const v = choice.version;
    return {
      text: r.text,
      systemMessage: r.systemMessage,
      messages: r.messages,
      model: v.model,
      temperature: v.temperature,
      maxTokens: v.maxTokens,
      config: v.config,
      tools: v.tools ?? null,
      responseFormat: v.responseFormat ?? null,
      versionId: v.id,
      versionNumber: v.number,
      promptName,
      label,
      abTestId: choice.abTestId,
      variant: choice.variant,
      warnings: r.warnings,
    };
  }

  /** Synchronous unless the version includes other prompts (then their held copies are preloaded first). */
  function render(promptName: string, label: string | null, choice: Choice, variables: unknown): Rendered | Promise<Rendered> {
    const content = compile(choice.version);
    if (content.includes.length === 0) return result(promptName, label, choice, content.render(variables ?? {}, { promptName }));
    const roots: (CompiledTemplate | null)[] = [
      content.template,
      content.systemMessage,
      ...(content.messages ?? []).map((m) => ('template' in m ? m.template : null)),
    ];
    return preloadIncludes(
      roots,
      async (ref) => {
        return includedTemplateOf(ref, compile(includedVersion(ref)));
      },
      promptName,
    ).then(({ resolveInclude, variables: includedVariables }) =>
      result(promptName, label, choice, content.render(variables ?? {}, { resolveInclude, promptName, includedVariables })),
    );
  }

  return { choose, render };
}
