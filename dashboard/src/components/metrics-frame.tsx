/**
 * What the metrics and cost pages share: the heading with the 7/30/90-day range picker (kept in the
 * URL's `range`), and the page while its query loads or after it failed (with what to do next).
 */
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { explainError } from '../lib/errors';
import { RANGES, type RangeDays } from '../lib/metrics-series';

export function MetricsHead({ title, range, onRange }: { title: string; range: RangeDays; onRange(r: RangeDays): void }) {
  return (
    <div className="metrics-head">
      <h1>{title}</h1>
      <div role="group" aria-label="Range" className="segmented">
        {RANGES.map((r) => (
          <button key={r} className={`btn small ${r === range ? 'primary' : ''}`} aria-pressed={r === range} onClick={() => onRange(r)}>
            {r} days
          </button>
        ))}
      </div>
    </div>
  );
}

/** The page's frame with a loading or failure state in place of its content, or null when there is data. */
export function QueryState(props: {
  header: ReactNode;
  what: string;
  result: { fetching: boolean; error?: CombinedError; data?: unknown };
  retry(): void;
}): ReactNode {
  const { header, what, result } = props;
  if (result.data) return null;
  if (result.error)
    return (
      <div className="metrics-page">
        {header}
        <section className="card narrow" role="alert">
          <h2>{what[0]!.toUpperCase() + what.slice(1)} could not be loaded</h2>
          <p className="error">{explainError(result.error)}</p>
          <button className="btn primary" onClick={props.retry}>
            Retry
          </button>
        </section>
      </div>
    );
  return (
    <div className="metrics-page">
      {header}
      <p className="state" role="status">
        Loading {what}…
      </p>
    </div>
  );
}
