/** Public types of the client library and the wire shapes of `clientPrompts` (kept here: the client imports nothing of the server). */
import type { ResolvedPrompt as ResolvedPromptShape } from '../shared/resolved-prompt';
import type { ChatMessageInput, VariableDeclaration } from '../templates';
import type { FleetReportOptions } from './fleet-report';

/** A caller-supplied template for a prompt the client has never fetched (used only when the server cannot answer). */
export type FallbackPrompt =
  | string
  | {
      template?: string;
      systemMessage?: string;
      messages?: ChatMessageInput[];
      variables?: VariableDeclaration[];
      model?: string;
      temperature?: number;
      maxTokens?: number;
      config?: unknown;
      tools?: unknown;
      responseFormat?: unknown;
      /** The version this copy is of, when known (a synced prompt file: the lockfile's); default `fallback:<name>`, 0. */
      versionId?: string;
      versionNumber?: number;
      /** Where it came from, for the warning (e.g. `prompts/support/classifier.prompt`). */
      source?: string;
    };

export type PromptClientOptions = {
  /** The GraphQL endpoint, e.g. `http://host:4000/graphql`; the WebSocket URL is derived (`http` → `ws`, `https` → `wss`). */
  url: string;
  /** A key with `prompts:resolve` (and `metrics:write` to track calls). */
  apiKey: string;
  /** Templates for prompts never seen, by name: served (with `stale: true`) when the server cannot be reached. */
  fallbacks?: Record<string, FallbackPrompt>;
  /** A JSON file holding the last good copy of every prompt: read at start, rewritten atomically after each fetch. */
  snapshotFile?: string;
  /** Per HTTP request (default 5,000 ms). */
  requestTimeoutMs?: number;
  /** Attempts of a first fetch before `resolve` gives up (default 3); background refetches retry until they succeed. */
  fetchAttempts?: number;
  /** Backoff between retries: base and cap in ms (defaults 100 and 10,000), full jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Safety net besides push: re-check the revisions of every held prompt this often (default 60,000 ms; 0 = never). */
  recheckIntervalMs?: number;
  /** Tracked calls per `recordCalls` request (default 100). */
  batchSize?: number;
  /** Send queued calls at least this often (default 1,000 ms). */
  flushIntervalMs?: number;
  /** Queue bound: beyond it the OLDEST queued calls are dropped and counted in `stats().droppedCalls` (default 10,000). */
  maxQueuedCalls?: number;
  /** Upper bound for `close()` to flush the queue (default 5,000 ms). */
  closeTimeoutMs?: number;
  /** Called with background failures (fetch, subscription, metrics, snapshot); the client never throws them at callers. Default: a process warning (`PromptClientWarning`). */
  onError?: (error: Error, context: string) => void;
  /**
   * Fleet reports (on by default): over its WebSocket the client reports its service, instance id, library
   * version and the revision and served versions of every prompt it holds, on connect, after each change
   * and every `intervalMs` (default 60,000), for the server's `fleet(promptName)` view. `false` turns them off.
   */
  fleet?: false | FleetReportOptions;
  /** A WebSocket implementation; defaults to the global WebSocket (Node ≥ 22), else the `ws` package (Node 20 has none). */
  webSocketImpl?: unknown;
};

export type ResolveOptions = { label?: string; requestId?: string };

/**
 * A map prompt name → its variables, as `prompt-service typegen` writes it (`PromptVariables`). Given to
 * `createPromptClient<PromptVariables>(…)`, it types `resolve`: a known name needs its required variables with
 * their types; any other name still works, untyped.
 */
export type PromptVariablesMap = object;

/** A prompt name: one of the map's (offered by editors) or any other string. */
export type PromptName<P extends PromptVariablesMap> = (keyof P & string) | (string & Record<never, never>);

/** `resolve`'s arguments after the name: the map's variables for a known name (required when any variable is). */
export type ResolveArgs<P extends PromptVariablesMap, N extends string> = N extends keyof P
  ? Record<never, never> extends P[N]
    ? [variables?: P[N], options?: ResolveOptions]
    : [variables: P[N], options?: ResolveOptions]
  : [variables?: Record<string, unknown>, options?: ResolveOptions];

/** The fields of the server's `ResolvedPrompt`, plus `stale`: true when served from the last known good copy (or a
 * fallback) because the server is unreachable or failed. */
export type ResolvedPrompt = ResolvedPromptShape & { stale: boolean };

/** One LLM call to record (`recordCalls`); `callId` is generated when absent and kept across retries. */
export type TrackedCall = {
  versionId: string;
  callId?: string;
  requestId?: string | null;
  runId?: string | null;
  latencyMs: number;
  inputTokens?: number | null;
  outputTokens?: number | null;
  tokensUsed?: number | null;
  success: boolean;
  errorCode?: string | null;
  qualityScore?: number | null;
  model?: string | null;
  costUsd?: number | null;
  /** When the call happened (default: when `track` was called). */
  at?: Date | string;
};

export type ClientStats = {
  /** Prompts held (fetched, from the snapshot, or included by them). */
  heldPrompts: number;
  /** Bundle fetches made (first fetches and refetches). */
  fetches: number;
  /** Push subscription state. */
  connection: 'connecting' | 'live' | 'down';
  queuedCalls: number;
  sentCalls: number;
  /** Calls dropped because the queue was full (the oldest go first). */
  droppedCalls: number;
  /** Calls the server refused (bad input, forbidden): dropped, not retried. */
  rejectedCalls: number;
};

// ---- wire shapes of `clientPrompts` (see schema.graphql) ----

export type WireVersion = {
  id: string;
  number: number;
  type: 'TEXT' | 'CHAT';
  template: string | null;
  systemMessage: string | null;
  messages: ChatMessageInput[] | null;
  variables: VariableDeclaration[];
  model: string;
  temperature: number;
  maxTokens: number;
  config: unknown;
  /** Absent in snapshots written before the field existed. */
  tools?: unknown;
  responseFormat?: unknown;
};

export type WireABTest = { id: string; label: string; salt: string; allocation: unknown; variants: { key: string; versionId: string }[] };

export type WirePrompt = {
  name: string;
  revision: number;
  labels: { name: string; versionId: string }[];
  latestVersionId: string | null;
  versions: WireVersion[];
  abTests: WireABTest[];
};
