/** The typed topic map: every event crossing instances, with ids and revisions (never whole rows). */
import type { Actor } from '../auth/principal';

export type PromptChangeKind =
  | 'PROMPT_CREATED'
  | 'PROMPT_UPDATED'
  | 'PROMPT_ARCHIVED'
  | 'PROMPT_DELETED'
  | 'VERSION_CREATED'
  | 'LABEL_MOVED'
  | 'ROLLED_BACK'
  | 'AB_TEST_STARTED'
  | 'AB_TEST_STOPPED'
  | 'AB_TEST_CONCLUDED';

export type PromptChangedPayload = {
  workspaceId: string;
  promptId: string;
  promptName: string;
  kind: PromptChangeKind;
  versionId: string | null;
  label: string | null;
  revision: number;
  actor: Actor;
  /** ISO timestamp (payloads cross Redis as JSON). */
  at: string;
};

export type KeyRevokedPayload = { workspaceId: string; keyId: string };

/** A person's sessions ended (sessionIds null: all of them): sockets close, caches evict. */
export type SessionsRevokedPayload = { userId: string; sessionIds: string[] | null };

/** A person's role in a workspace changed or they left it: cached rights are dropped, sockets re-checked. */
export type MembershipChangedPayload = { workspaceId: string; userId: string };

export type MetricsUpdatedPayload = { workspaceId: string; promptId: string; promptName: string; versionId: string; at: string };

export type ABTestUpdatedPayload = { workspaceId: string; promptId: string; promptName: string; abTestId: string; at: string };

export type AlertUpdatedPayload = { workspaceId: string; alertId: string; at: string };

export type Topics = {
  PROMPT_CHANGED: PromptChangedPayload;
  KEY_REVOKED: KeyRevokedPayload;
  SESSIONS_REVOKED: SessionsRevokedPayload;
  MEMBERSHIP_CHANGED: MembershipChangedPayload;
  METRICS_UPDATED: MetricsUpdatedPayload;
  AB_TEST_UPDATED: ABTestUpdatedPayload;
  ALERT_UPDATED: AlertUpdatedPayload;
};

export type Topic = keyof Topics;
