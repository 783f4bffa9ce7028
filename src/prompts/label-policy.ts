/**
 * The label policy port: rules a newer domain sets on labels, declared here and implemented there
 * (experiments: "a label under a running A/B test belongs to the test"), wired by app.ts. The
 * prompts domain never imports the implementer.
 */
import type { Actor } from '../auth/principal';
import type { Executor, Tx } from '../db/client';
import type { PromptRow, VersionRow } from '../db/schema';
import type { Emit } from '../shared/unit-of-work';

/** What resolution needs of a label's owner to serve a request without I/O: which version this request gets. */
export type LabelTest = {
  id: string;
  /** The variant key of a request (sticky per request id; random without one). Pure, synchronous. */
  assign(requestId: string | null | undefined): string;
  /** Variant key → version. */
  versions: Map<string, VersionRow>;
};

/** Who makes a change and under which request id (for history and audit). */
export type ChangeBy = { actor: Actor; requestId: string };

export interface LabelPolicy {
  /** Throws (CONFLICT) when `label` may not be moved by hand now; called with the prompt locked. */
  assertMayMove(tx: Executor, prompt: PromptRow, label: string): Promise<void>;
  /** Inside a rollback's transaction, after the label moved: what happens to what ran on it (its events go through `emit`). */
  onRollback(tx: Tx, emit: Emit, by: ChangeBy, prompt: PromptRow, label: string): Promise<void>;
  /** The labels of a prompt that something else decides (label → how a request is served). */
  testsOn(exec: Executor, promptId: string): Promise<Map<string, LabelTest>>;
}
