/**
 * Per-subscriber ordering of change events: each prompt's events pass only with a revision above the
 * last one delivered, so a subscriber never sees a prompt go back in time when two instances'
 * publishes cross in Redis, nor a duplicate. A dropped late event shows up as a revision gap, which
 * tells the client to re-check (Query.promptRevisions).
 */
export function createRevisionGate(maxPrompts = 10_000) {
  const lastSeen = new Map<string, number>();
  return (promptId: string, revision: number): boolean => {
    const last = lastSeen.get(promptId);
    if (last !== undefined && revision <= last) return false;
    // Bounded memory for wildcard subscribers of huge workspaces: forgetting only risks re-admitting a stale duplicate.
    if (last === undefined && lastSeen.size >= maxPrompts) lastSeen.delete(lastSeen.keys().next().value as string);
    lastSeen.set(promptId, revision);
    return true;
  };
}
