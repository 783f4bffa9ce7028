/**
 * What a page or section shows instead of itself, the same everywhere: its query still loading, its
 * load failed (with Retry), or what it names does not exist (with a way back).
 */
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { Link } from 'wouter';
import { explainError } from '../lib/errors';

type Pending = { fetching: boolean; error?: CombinedError; data?: unknown };
/** `what` loads ("Loading …"); `title` heads the failure card (none: the failure shows inline, in a section that has its own heading). */
type StateOptions = { what: string; retry: () => void; title?: string; level?: 1 | 2 };

/**
 * The state in place of a view whose query has no data yet (loading, or failed with Retry), or null
 * once it has data: a refetch, even a failed one, keeps what is shown.
 */
export function queryState(result: Pending, { what, retry, title, level }: StateOptions): ReactNode {
  if (result.data) return null;
  if (result.error && !result.fetching) return <LoadFailed title={title} level={level} error={result.error} onRetry={retry} />;
  return <Loading what={what} />;
}

function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status">
      Loading {what}…
    </p>
  );
}

/** With `title`, a card headed by it (a page's h1, or an h2 under the page's own heading with `level={2}`); without, inline in a section. */
function LoadFailed({ title, level = 1, error, onRetry }: { title?: string; level?: 1 | 2; error: CombinedError; onRetry: () => void }) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <section className={title ? 'card narrow' : 'state error'} role="alert">
      {title && <Heading>{title}</Heading>}
      <p className="error">{explainError(error)}</p>
      <button type="button" className={title ? 'btn primary' : 'btn'} onClick={onRetry}>
        Retry
      </button>
    </section>
  );
}

export function NotThere({ title, level = 1, children }: { title: string; level?: 1 | 2; children: ReactNode }) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <section className="card narrow">
      <Heading>{title}</Heading>
      <p>{children}</p>
      <Link href="/" className="btn primary">
        Back to the prompt list
      </Link>
    </section>
  );
}
