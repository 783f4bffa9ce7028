/**
 * The event catalogue: every type a webhook endpoint can subscribe to, with what it means. Types are
 * `<object>.<verb>`; patterns are exact types, `<object>.*` or `*`. Later domains (guarded rollouts,
 * change requests) add their entries here and write them through the same outbox port.
 */
import type { PromptChangeKind } from '../pubsub/topics';

export const EVENT_TYPES = {
  'prompt.created': 'A prompt was created.',
  'prompt.updated': "A prompt's description or tags changed, or it was unarchived.",
  'prompt.archived': 'A prompt was archived.',
  'prompt.deleted': 'A prompt was deleted with its versions (deletePrompt).',
  'version.created': 'A new version of a prompt was created (data.labels lists labels moved to it in the same change).',
  'label.moved': 'A label now points at another version (or was removed: data.to is null).',
  'prompt.rolled_back': 'production was rolled back to an earlier version.',
  'ab_test.started': 'An A/B test started on a label.',
  'ab_test.ramped': 'The weights of a running A/B test changed.',
  'ab_test.stopped': 'An A/B test was stopped by hand (optionally promoting a variant) or by a rollback.',
  'ab_test.concluded': 'An A/B test concluded with a winner, which now holds the label.',
  'alert.fired': 'An alert crossed its threshold.',
  'alert.resolved': 'A firing alert is back within its threshold.',
  'webhook.test': 'A test message sent by testWebhook.',
  // Slots for the next domains (src/releases/): rollout.started, rollout.advanced, rollout.paused,
  // rollout.rolled_back, rollout.completed, change_request.opened, change_request.reviewed,
  // change_request.applied — add them here when they are emitted.
} as const;

export type WebhookEventType = keyof typeof EVENT_TYPES;

export function isEventType(type: string): type is WebhookEventType {
  return Object.hasOwn(EVENT_TYPES, type);
}

/** Which webhook type a prompt change kind is (A/B ramps pass their own type: the kind is shared with starts). */
export const TYPE_OF_KIND: Record<PromptChangeKind, WebhookEventType> = {
  PROMPT_CREATED: 'prompt.created',
  PROMPT_UPDATED: 'prompt.updated',
  PROMPT_ARCHIVED: 'prompt.archived',
  PROMPT_DELETED: 'prompt.deleted',
  VERSION_CREATED: 'version.created',
  LABEL_MOVED: 'label.moved',
  ROLLED_BACK: 'prompt.rolled_back',
  AB_TEST_STARTED: 'ab_test.started',
  AB_TEST_STOPPED: 'ab_test.stopped',
  AB_TEST_CONCLUDED: 'ab_test.concluded',
};

const PATTERN = /^(\*|[a-z_]+\.\*|[a-z_]+\.[a-z_]+)$/;

/** A pattern is valid when it is `*`, `<object>.*` naming a known object, or a known type. */
export function isValidPattern(pattern: string): boolean {
  if (!PATTERN.test(pattern)) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) {
    const object = pattern.slice(0, -2);
    return Object.keys(EVENT_TYPES).some((t) => t.startsWith(`${object}.`)) || ['rollout', 'change_request'].includes(object);
  }
  return isEventType(pattern);
}

export function typeMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** What an event says it is about, for the endpoint's prompt and label filters. */
export type EventSubject = { promptName: string | null; labels: string[] };

/**
 * Filters: the prompt filter is an exact name or a folder prefix ending in `/`; the label filter keeps
 * events about one of its labels. An event about no prompt (webhook.test, a workspace-wide alert)
 * passes the prompt filter only when it has none; an event about no label passes the label filter
 * only when it is not a prompt change at all (alerts, tests).
 */
export function endpointWants(
  endpoint: { events: readonly string[]; promptFilter: string | null; labelFilter: readonly string[] | null },
  type: string,
  subject: EventSubject,
): boolean {
  if (type === 'webhook.test') return true;
  if (!typeMatches(endpoint.events, type)) return false;
  const f = endpoint.promptFilter;
  if (f) {
    if (!subject.promptName) return false;
    if (f.endsWith('/') ? !subject.promptName.startsWith(f) : subject.promptName !== f) return false;
  }
  if (endpoint.labelFilter && endpoint.labelFilter.length > 0) {
    const isPromptChange = !type.startsWith('alert.');
    if (isPromptChange && !subject.labels.some((l) => endpoint.labelFilter!.includes(l))) return false;
  }
  return true;
}
