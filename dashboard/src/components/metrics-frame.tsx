/** What the metrics and cost pages share: the heading with the 7/30/90-day range picker (kept in the URL's `range`). */
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
