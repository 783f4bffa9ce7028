/**
 * Whether a change event tells a view that its data is out of date (pure). Every change raises the
 * prompt's revision by one and its event carries the new revision: a view at revision r is current
 * for events up to r (its own change echoed back, an event delivered twice) and behind for anything
 * newer, whether the next change (r + 1) or a gap (> r + 1: events were missed, so applying the event
 * alone would not be enough). Either way the view refetches; a view with no revision yet always does.
 */
export function isBehind(viewRevision: number | null | undefined, eventRevision: number): boolean {
  return viewRevision == null || eventRevision > viewRevision;
}
