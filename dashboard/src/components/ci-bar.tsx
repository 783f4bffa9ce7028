/**
 * A small picture of a confidence interval of a difference against the control: zero in the middle,
 * the interval as a bar, the point estimate as a dot; green when the whole interval is on the better
 * side, red when on the worse side, grey when it crosses zero. Decorative: the numbers sit beside it.
 * SVG attributes, not inline styles (the CSP allows no style attributes from markup).
 */
import { intervalVerdict, type Metric } from '../lib/ab-wording';

const W = 200;
const H = 22;
const PAD = 6;

/**
 * `scale`: the largest |bound| among the intervals shown together, so their bars compare. `settled`:
 * colour only once the decision rule has spoken (the classical interval is informational; green while
 * the rule still says "not enough data" would read as a verdict it is not).
 */
export function CIBar({ metric, ci, estimate, scale, settled }: { metric: Metric; ci: readonly number[]; estimate: number; scale: number; settled: boolean }) {
  const m = scale > 0 ? scale * 1.1 : 1;
  const x = (v: number) => PAD + ((Math.max(-m, Math.min(m, v)) + m) / (2 * m)) * (W - 2 * PAD);
  const verdict = settled ? intervalVerdict(metric, ci) : 'unclear';
  return (
    <svg className={`ci-bar ${verdict}`} viewBox={`0 0 ${W} ${H}`} aria-hidden="true" focusable="false" data-testid="ci-bar" data-verdict={verdict}>
      <line className="ci-axis" x1={PAD} x2={W - PAD} y1={H / 2} y2={H / 2} />
      <line className="ci-zero" x1={W / 2} x2={W / 2} y1={2} y2={H - 2} />
      <rect className="ci-range" x={x(ci[0]!)} width={Math.max(2, x(ci[1]!) - x(ci[0]!))} y={H / 2 - 4} height={8} rx={4} />
      <circle className="ci-point" cx={x(estimate)} cy={H / 2} r={4.5} />
    </svg>
  );
}
