/**
 * The confirmations of a running test's actions: ramp (new weights, checked against the prompt's
 * revision as the dialog opened), stop (nothing promoted) and promote (one variant gets the label and
 * the test ends). Each says what will happen to live traffic before anything changes.
 */
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { RampABTestMutation, StopABTestMutation } from '../api/ab-tests';
import { variantName } from '../lib/ab-wording';
import { explainError } from '../lib/errors';
import { Dialog } from './dialog';

type Variant = { key: string; weight: number; version: { id: string; number: number } };
type Base = { testId: string; label: string; variants: readonly Variant[]; onClose: () => void; onDone: (text: string) => void };

function ErrorLine({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}

export function RampDialog({ testId, label, variants, revision, onClose, onDone, onConflict }: Base & { revision: number; onConflict: () => void }) {
  const [opened] = useState(revision);
  const [weights, setWeights] = useState(() => variants.map((v) => String(v.weight)));
  const [error, setError] = useState<string | null>(null);
  const [state, ramp] = useMutation(RampABTestMutation);
  const sum = weights.reduce((s, w) => s + (Number(w) || 0), 0);
  const valid = weights.every((w) => /^\d+$/.test(w.trim()) && Number(w) <= 100) && sum === 100;
  const unchanged = weights.every((w, i) => Number(w) === variants[i]!.weight);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const r = await ramp({ id: testId, variants: variants.map((v, i) => ({ versionId: v.version.id, weight: Number(weights[i]) })), expectedRevision: opened });
    if (r.error) {
      setError(explainError(r.error));
      if (r.error.graphQLErrors[0]?.extensions?.code === 'CONFLICT') onConflict();
    } else onDone(`Traffic ramped: ${variants.map((v, i) => `v${v.version.number} ${weights[i]}%`).join(', ')}`);
  }

  return (
    <Dialog title="Ramp traffic" onClose={onClose}>
      <form onSubmit={(e) => void confirm(e)}>
        <p>
          New shares of <strong>{label}</strong> traffic. A variant whose share grows keeps every request it had; 0 stops sending it traffic (its results are
          kept).
        </p>
        <div className="ramp-rows">
          {variants.map((v, i) => (
            <label className="field" key={v.key}>
              <span>
                {variantName(v.key, variants.length)} v{v.version.number} (now {v.weight}%) — new %
              </span>
              <input inputMode="numeric" value={weights[i]} onChange={(e) => setWeights((ws) => ws.map((w, j) => (j === i ? e.target.value : w)))} />
            </label>
          ))}
        </div>
        <p className={sum === 100 ? 'muted small' : 'warn-text small'} aria-live="polite">
          Weights add up to {sum}
          {sum === 100 ? '.' : ' (they must add up to 100).'}
        </p>
        <ErrorLine text={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={!valid || unchanged || state.fetching}>
            {state.fetching ? 'Ramping…' : 'Apply new split'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function StopDialog({ testId, label, variants, current, onClose, onDone }: Base & { current: number | null }) {
  const [error, setError] = useState<string | null>(null);
  const [state, stop] = useMutation(StopABTestMutation);
  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const r = await stop({ id: testId });
    if (r.error) setError(explainError(r.error));
    else onDone('A/B test stopped; nothing was promoted');
  }
  return (
    <Dialog title="Stop this A/B test?" onClose={onClose}>
      <form onSubmit={(e) => void confirm(e)}>
        <p>
          All <strong>{label}</strong> traffic goes back to {current ? <strong>v{current}</strong> : 'the version the label points at'}; no variant is promoted.
          The {variants.length} variants’ results stay readable here. This cannot be undone (start a new test to compare again).
        </p>
        <ErrorLine text={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Keep running
          </button>
          <button type="submit" className="btn danger" disabled={state.fetching}>
            {state.fetching ? 'Stopping…' : 'Stop test'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function PromoteDialog({ testId, label, variants, suggested, onClose, onDone }: Base & { suggested: string | null }) {
  const [choice, setChoice] = useState(suggested ?? variants[1]?.key ?? variants[0]!.key);
  const [error, setError] = useState<string | null>(null);
  const [state, stop] = useMutation(StopABTestMutation);
  const chosen = variants.find((v) => v.key === choice)!;
  async function confirm(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const r = await stop({ id: testId, promoteVersionId: chosen.version.id });
    if (r.error) setError(explainError(r.error));
    else onDone(`${label} → v${chosen.version.number}; A/B test ended`);
  }
  return (
    <Dialog title="Promote a variant" onClose={onClose}>
      <form onSubmit={(e) => void confirm(e)}>
        <p>
          The test ends and <strong>{label}</strong> moves to the version you choose: every service resolving it gets that version at once. The move is recorded
          in the label history.
        </p>
        <fieldset className="promote-choices">
          <legend>Version to promote</legend>
          {variants.map((v) => (
            <label key={v.key} className="toggle">
              <input type="radio" name="promote" value={v.key} checked={choice === v.key} onChange={() => setChoice(v.key)} />
              <span>
                {variantName(v.key, variants.length)} v{v.version.number}
                {v.key === suggested ? ' (the winner)' : ''}
              </span>
            </label>
          ))}
        </fieldset>
        <ErrorLine text={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={state.fetching}>
            {state.fetching ? 'Promoting…' : `Promote v${chosen.version.number} to ${label}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
