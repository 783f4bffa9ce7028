/**
 * Metrics and cost of one prompt (/ui/metrics/<name>): calls, success rate, latency p50/p95/p99, tokens,
 * quality and cost per UTC day over 7, 30 or 90 days, one series per version, with every label move and
 * every model change (a move of the chosen label to a version with another model) marked on the time
 * axis. Each chart has a table view. Live: fresh metrics (metricsUpdated), prompt changes and a
 * reconnected socket refetch.
 */
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { Link, useParams, useSearchParams } from 'wouter';
import { PromptMetricsQuery } from '../api/metrics';
import { useMetricsUpdates } from '../api/use-metrics-updates';
import { usePromptEvents, useResync } from '../api/use-prompt-events';
import { MetricsHead } from '../components/metrics-frame';
import { NotThere, queryState } from '../components/query-state';
import { TimeChart } from '../components/time-chart';
import type { PromptMetricsQuery as Result } from '../gql/graphql';
import { formatCost, formatCount, formatDateTime, formatMs, formatPercent, formatScore, formatUtcDay, formatUtcShortDay } from '../lib/format';
import {
  DAY_MS,
  MEASURES,
  changeMarkers,
  dayGrid,
  parseRange,
  rangeTotals,
  versionSeries,
  withGaps,
  type MeasureName,
  type RangeDays,
} from '../lib/metrics-series';

type Percentile = 'p50' | 'p95' | 'p99';
const PERCENTILES: Percentile[] = ['p50', 'p95', 'p99'];

export default function PromptMetricsPage() {
  const params = useParams<{ '*': string }>();
  const name = decodeURIComponent(params['*'] ?? '');
  const [search, setSearch] = useSearchParams();
  const range = parseRange(search.get('range'));
  const days = useMemo(() => dayGrid(range, Date.now()), [range]);
  const from = new Date(days[0]!).toISOString();
  const [result, refetch] = useQuery({ query: PromptMetricsQuery, variables: { name, from } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useMetricsUpdates([name], reload);
  usePromptEvents(name, reload);
  // Calls recorded while the socket was down raised no event here: refetch once it is back.
  useResync(reload);

  const setRange = (r: RangeDays) => setSearch((p) => ({ ...Object.fromEntries(p), range: String(r) }), { replace: true });

  const header = (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href="/">Prompts</Link> / <Link href={`/prompts/${name}`}>{name}</Link>
      </nav>
      <MetricsHead title={`Metrics of ${name}`} range={range} onRange={setRange} />
    </>
  );

  const waiting = queryState(result, { what: 'metrics', title: 'Metrics could not be loaded', level: 2, retry: reload });
  const prompt = result.data?.prompt;
  if (waiting || !prompt)
    return (
      <div className="metrics-page">
        {header}
        {waiting ?? (
          <NotThere title={`No prompt “${name}”`} level={2}>
            There is no prompt of this name in this workspace.
          </NotThere>
        )}
      </div>
    );
  return (
    <div className="metrics-page">
      {header}
      <MetricsView prompt={prompt} rows={result.data!.metrics} days={days} range={range} label={search.get('label') ?? 'production'} />
    </div>
  );
}

type Prompt = NonNullable<Result['prompt']>;
type Row = Result['metrics'][number];

const colourByVersion = (_: unknown, i: number) => `s-${i % 8}`;
const countFormat = (v: number) => formatCount(Math.round(v));
const SHARE: [number, number] = [0, 1];

function MetricsView({ prompt, rows, days, range, label }: { prompt: Prompt; rows: Row[]; days: number[]; range: RangeDays; label: string }) {
  const [, setSearch] = useSearchParams();
  const [percentile, setPercentile] = useState<Percentile>('p95');
  const models = useMemo(() => new Map(prompt.versions.map((v) => [v.id, v.model])), [prompt.versions]);
  const nameOf = useMemo(() => (v: { id: string; number: number }) => `v${v.number} · ${models.get(v.id) ?? '?'}`, [models]);
  const markers = useMemo(
    () => changeMarkers(prompt.labelHistory, models, label, days[0]!, days[days.length - 1]! + DAY_MS),
    [prompt.labelHistory, models, label, days],
  );
  const series = useMemo(() => {
    const of = (m: MeasureName, suffix = '', gaps = false) =>
      versionSeries(rows, days, gaps ? withGaps(MEASURES[m]) : MEASURES[m], suffix ? (v) => `${nameOf(v)} ${suffix}` : nameOf, suffix);
    return {
      callsLine: of('calls', '', true),
      tokensLine: of('tokens', '', true),
      costLine: of('cost', '', true),
      calls: of('calls'),
      successRate: of('successRate'),
      p50: of('p50'),
      p95: of('p95'),
      p99: of('p99'),
      latencyTable: PERCENTILES.flatMap((p) => of(p, p)),
      tokens: of('tokens'),
      quality: of('quality'),
      cost: of('cost'),
    };
  }, [rows, days, nameOf]);
  const totals = rangeTotals(rows);
  const labels = [...new Set(['production', ...prompt.labels.map((l) => l.name)])];

  if (prompt.metrics.totalCalls === 0)
    return (
      <section className="card empty-state" data-testid="metrics-empty">
        <h2>No calls recorded yet</h2>
        <p>
          No calls recorded yet — services record calls with <code>recordCalls</code> (or <code>recordCall</code>, or the client library's <code>track</code>);
          see “Metrics and cost” in the README, or try it in <Link href="/graphiql">GraphiQL</Link>. Charts appear here as soon as the first call is recorded.
        </p>
      </section>
    );

  const percentilePicker = (
    <div role="group" aria-label="Latency percentile" className="segmented">
      {PERCENTILES.map((p) => (
        <button key={p} className={`btn small ${p === percentile ? 'primary' : ''}`} aria-pressed={p === percentile} onClick={() => setPercentile(p)}>
          {p}
        </button>
      ))}
    </div>
  );
  // Counts and sums chart a line broken where a version had no calls; their tables show those days as 0.
  const charts = [
    { testId: 'chart-calls', title: 'Calls', caption: 'per day, by version', series: series.callsLine, tableSeries: series.calls, format: countFormat },
    { testId: 'chart-success', title: 'Success rate', caption: 'per day, by version', series: series.successRate, yRange: SHARE, format: formatPercent },
    {
      testId: 'chart-latency',
      title: 'Latency',
      caption: 'per day, by version (p50, p95 and p99)',
      series: series[percentile],
      tableSeries: series.latencyTable,
      format: formatMs,
      controls: percentilePicker,
    },
    {
      testId: 'chart-tokens',
      title: 'Tokens',
      caption: 'per day (input + output), by version',
      series: series.tokensLine,
      tableSeries: series.tokens,
      format: countFormat,
    },
    { testId: 'chart-quality', title: 'Quality', caption: 'per day (average score), by version', series: series.quality, yRange: SHARE, format: formatScore },
    { testId: 'chart-cost', title: 'Cost', caption: 'per day (USD), by version', series: series.costLine, tableSeries: series.cost, format: formatCost },
  ];
  const common = {
    buckets: days,
    bucketMs: DAY_MS,
    markers,
    bucketLabel: formatUtcDay,
    axisLabel: formatUtcShortDay,
    bucketHeader: 'Day',
    colourOf: colourByVersion,
  };
  return (
    <>
      <dl className="metrics-summary" data-testid="metrics-summary">
        <div>
          <dt>Calls, last {range} days</dt>
          <dd>{formatCount(totals.calls)}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>{totals.calls ? formatPercent(totals.successes / totals.calls) : '—'}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{formatCost(totals.cost)}</dd>
        </div>
        <div>
          <dt>Cost per day (average)</dt>
          <dd>{formatCost(totals.cost / range)}</dd>
        </div>
      </dl>
      {totals.calls === 0 && (
        <p className="state" role="status">
          No calls in the last {range} days{range < 90 ? ': choose a longer range to see older ones' : ''}.
        </p>
      )}

      <section className="card" aria-labelledby="changes-title">
        <div className="chart-head">
          <h2 id="changes-title">Changes in this range</h2>
          {labels.length > 1 && (
            <label className="field inline">
              <span>Model changes of</span>
              <select value={label} onChange={(e) => setSearch((p) => ({ ...Object.fromEntries(p), label: e.target.value }), { replace: true })}>
                {labels.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
            </label>
          )}
        </div>
        {markers.length === 0 ? (
          <p className="muted">No label moved and no model changed in the last {range} days.</p>
        ) : (
          <ol className="change-list" role="list" data-testid="change-list">
            {markers.map((m, i) => (
              <li key={i} data-marker-kind={m.kind}>
                <span className={`marker-key ${m.kind}`} aria-hidden="true" />
                <time dateTime={new Date(m.at).toISOString()}>{formatDateTime(new Date(m.at).toISOString())}</time> {m.text}
              </li>
            ))}
          </ol>
        )}
        <p className="muted small">
          Solid lines mark label moves; dashed lines mark a change of the model that <strong>{label}</strong> serves. Days are UTC.
        </p>
      </section>

      <div className="chart-grid">
        {charts.map((c) => (
          <TimeChart key={c.testId} {...common} {...c} />
        ))}
      </div>
    </>
  );
}
