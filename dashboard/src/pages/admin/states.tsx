/** Loading and load-failure states of the admin sections (with what to do next). */
import type { CombinedError } from 'urql';
import { explainError } from '../../lib/errors';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status">
      Loading {what}…
    </p>
  );
}

export function LoadError({ error, retry }: { error: CombinedError; retry: () => void }) {
  return (
    <div className="state error" role="alert">
      <p>{explainError(error)}</p>
      <button type="button" className="btn" onClick={retry}>
        Retry
      </button>
    </div>
  );
}
