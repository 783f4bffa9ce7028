/** Protected labels: which labels need the PUBLISHER role to move (default `production`); ADMINs add and remove them. */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ProtectedLabelsQuery, SetProtectedLabelsMutation } from '../../api/admin';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useNotify } from '../../components/notices';
import { queryState } from '../../components/query-state';
import { Reason } from '../../components/reason';
import { explainError } from '../../lib/errors';
import { cannotAdminister } from '../../lib/permissions';
import { useWorkspace } from '../../workspace';

export function ProtectedLabelsSection() {
  const { me } = useWorkspace();
  const notify = useNotify();
  const [q, refetch] = useQuery({ query: ProtectedLabelsQuery, requestPolicy: 'cache-and-network' });
  const [saving, save] = useMutation(SetProtectedLabelsMutation);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const blocked = cannotAdminister(me.role, 'Changing the protected labels');
  const labels = q.data?.me.workspace.protectedLabels ?? [];

  async function add(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const name = label.trim();
    if (labels.includes(name)) return setError(`${name} is protected already.`);
    const r = await save({ labels: [...labels, name] });
    if (r.error) return setError(explainError(r.error));
    setLabel('');
    notify(`${name} is protected now`);
  }

  const waiting = queryState(q, { what: 'protected labels', retry: () => refetch({ requestPolicy: 'network-only' }) });
  if (waiting) return waiting;
  return (
    <>
      <p className="muted">
        Moving a protected label (deploying to it, rolling it back) needs the PUBLISHER role or above, or a service key with the <code>labels:protected</code>{' '}
        scope. Other labels can be moved by EDITORs.
      </p>
      {labels.length === 0 ? (
        <p className="state" data-testid="empty">
          No label is protected: every EDITOR can deploy to production. Add <code>production</code> back below.
        </p>
      ) : (
        <ul className="label-list" data-testid="protected-labels">
          {labels.map((l) => (
            <li key={l} data-testid="protected-label">
              <code>{l}</code>
              <button
                type="button"
                className="btn small danger"
                disabled={!!blocked}
                aria-describedby={blocked ? 'labels-reason' : undefined}
                onClick={() => setRemoving(l)}
                aria-label={`Remove protection of ${l}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="card admin-form" onSubmit={(e) => void add(e)} aria-labelledby="label-add-title">
        <h3 id="label-add-title" className="small-title">
          Protect a label
        </h3>
        <div className="form-row">
          <label className="field grow">
            <span>Label</span>
            <input
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              placeholder="e.g. staging"
              disabled={!!blocked}
              aria-describedby={blocked ? 'labels-reason' : undefined}
            />
          </label>
          <button type="submit" className="btn primary form-submit" disabled={!!blocked || saving.fetching || !label.trim()}>
            Protect
          </button>
        </div>
        <Reason id="labels-reason" text={blocked} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      {removing && (
        <ConfirmDialog
          title={`Stop protecting ${removing}?`}
          confirmLabel="Stop protecting"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            const r = await save({ labels: labels.filter((l) => l !== removing) });
            if (r.error) return explainError(r.error) ?? 'Not changed.';
            notify(`${removing} is no longer protected`);
            return null;
          }}
        >
          <p>
            After this, every EDITOR may move <code>{removing}</code> (and every service reading it gets what they deploy).
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
