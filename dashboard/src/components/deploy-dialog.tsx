/**
 * "Deploy vN to production": the diff against the version in production now, the other changed
 * fields, and a reason; confirming moves the label with the prompt's revision, so a change made
 * meanwhile is a CONFLICT to review instead of a silent overwrite. An A/B test started on production
 * while it is open (the page is live) disables the confirmation with the reason.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import { SetLabelMutation, VersionDiffQuery } from '../api/documents';
import { explainError } from '../lib/errors';
import { cannotMoveUnderTest, runningTestOn } from '../lib/permissions';
import type { PagePrompt, PageVersion } from '../pages/prompt-page';
import { Dialog } from './dialog';
import { FieldChanges, UnifiedDiff } from './diff-view';
import { Reason } from './reason';

type Props = {
  prompt: PagePrompt;
  target: PageVersion;
  production: PageVersion | null;
  onClose: () => void;
  onDone: (number: number) => void;
  onConflict: () => void;
  /** Where focus goes when the dialog closes (default: back to the button that opened it). */
  finalFocus?: () => HTMLElement | null | undefined;
};

export function DeployDialog({ prompt, target, production: productionNow, onClose, onDone, onConflict, finalFocus }: Props) {
  // What the person reviews is what they confirm: the revision and production as the dialog opened (a
  // change made meanwhile, even one shown live, makes the move a CONFLICT instead of a silent overwrite).
  const [opened] = useState(() => ({ revision: prompt.revision, production: productionNow }));
  const production = opened.production;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [diff] = useQuery({ query: VersionDiffQuery, variables: { from: production?.id ?? '', to: target.id }, pause: !production });
  const [state, setLabel] = useMutation(SetLabelMutation);
  const running = runningTestOn(prompt.abTests, 'production');
  const blocked = cannotMoveUnderTest('production', running);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const r = await setLabel({ promptName: prompt.name, label: 'production', versionId: target.id, expectedRevision: opened.revision, reason: reason.trim() });
    if (r.error) {
      setError(explainError(r.error));
      if (r.error.graphQLErrors[0]?.extensions?.code === 'CONFLICT') onConflict();
    } else onDone(target.number);
  }

  return (
    <Dialog title={`Deploy v${target.number} to production`} onClose={onClose} finalFocus={finalFocus}>
      <form onSubmit={(e) => void confirm(e)}>
        <p>
          {production ? (
            <>
              Production serves <strong>v{production.number}</strong> now. Every service resolving <code>{prompt.name}</code> gets{' '}
              <strong>v{target.number}</strong> as soon as you confirm.
            </>
          ) : (
            <>Nothing is in production yet.</>
          )}
        </p>
        {production && (
          <div className="dialog-diff">
            <h3 className="small-title">
              Changes from v{production.number} to v{target.number}
            </h3>
            {diff.fetching && <p className="muted">Loading the diff…</p>}
            {diff.error && <p className="error">The diff could not be loaded: {explainError(diff.error)}</p>}
            {diff.data && (
              <>
                <UnifiedDiff diff={diff.data.versionDiff.templateDiff} />
                <FieldChanges changes={diff.data.versionDiff.changes} />
              </>
            )}
          </div>
        )}
        <label className="field">
          <span>Why? (recorded in the label history)</span>
          <textarea
            data-autofocus
            required
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. fewer misrouted refund tickets in testing"
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <Reason id="deploy-dialog-why" text={blocked}>
          {running && <Link href={`/ab-tests/${running.id}`}>Open the A/B test</Link>}
        </Reason>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn primary"
            disabled={!!blocked || state.fetching || !reason.trim()}
            aria-describedby={blocked ? 'deploy-dialog-why' : undefined}
          >
            {state.fetching ? 'Deploying…' : `Deploy v${target.number}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
