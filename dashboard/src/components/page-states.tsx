/** What a page shows instead of itself: its data failed to load (with Retry), or what it names does not exist (with a way back). */
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { Link } from 'wouter';
import { explainError } from '../lib/errors';

export function LoadFailed({ title, error, onRetry }: { title: string; error: CombinedError; onRetry: () => void }) {
  return (
    <section className="card narrow" role="alert">
      <h1>{title}</h1>
      <p className="error">{explainError(error)}</p>
      <button className="btn primary" onClick={onRetry}>
        Retry
      </button>
    </section>
  );
}

export function NotThere({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card narrow">
      <h1>{title}</h1>
      <p>{children}</p>
      <Link href="/" className="btn primary">
        Back to the prompt list
      </Link>
    </section>
  );
}
