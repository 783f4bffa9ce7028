/**
 * The workspace's cost (/ui/cost): the total over 7, 30 or 90 days, prompts ranked by what they cost
 * with their first and latest day ("$8.00/day → $2.00/day"), and the top spenders per day or per ISO
 * week as a chart with its table. Live: fresh metrics of any listed prompt, and a reconnected socket,
 * refetch the page.
 */
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { Link, useSearchParams } from 'wouter';
import { WorkspaceCostQuery } from '../api/metrics';
import { useMetricsUpdates } from '../api/use-metrics-updates';
import { useResync } from '../api/use-prompt-events';
import { MetricsHead } from '../components/metrics-frame';
import { queryState } from '../components/query-state';
import { TimeChart } from '../components/time-chart';
import { byWeek, OTHERS_KEY, rankSpenders, spendSeries } from '../lib/cost-ranking';
import { formatCost, formatCount, formatPercent, formatUtcDay, formatUtcShortDay, formatUtcWeek } from '../lib/format';
import { DAY_MS, dayGrid, parseRange, weekGrid, type Series } from '../lib/metrics-series';

const TOP = 5;
/** Live updates are subscribed for this many prompts at most (one subscription each on the one socket). */
const LIVE_PROMPTS = 25;
const colourOfSpender = (s: Series, i: number) => (s.key === OTHERS_KEY ? 's-other' : `s-${i % 8}`);
const noMarkers: never[] = [];

export default function CostPage() {
  const [search, setSearch] = useSearchParams();
  const range = parseRange(search.get('range'));
  const per = search.get('per') === 'week' ? 'week' : 'day';
  const days = useMemo(() => dayGrid(range, Date.now()), [range]);
  const weeks = useMemo(() => weekGrid(days[0]!, Date.now()), [days]);
  const from = new Date(days[0]!).toISOString();
  const [result, refetch] = useQuery({ query: WorkspaceCostQuery, variables: { from } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const spenders = useMemo(() => rankSpenders(result.data?.daily ?? []), [result.data]);
  useMetricsUpdates(
    spenders.slice(0, LIVE_PROMPTS).map((s) => s.name),
    reload,
  );
  useResync(reload);
  const set = (key: string, value: string) => setSearch((p) => ({ ...Object.fromEntries(p), [key]: value }), { replace: true });
  const top = useMemo(() => spenders.slice(0, TOP).map((s) => s.name), [spenders]);
  // Weeks are summed from the days already fetched (one aggregation per load and per live refetch, not two).
  const series = useMemo(() => {
    const daily = result.data?.daily ?? [];
    return per === 'week' ? spendSeries(byWeek(daily), weeks, top) : spendSeries(daily, days, top);
  }, [result.data, per, weeks, days, top]);
  const total = spenders.reduce((s, p) => s + p.total, 0);

  const header = <MetricsHead title="Cost" range={range} onRange={(r) => set('range', String(r))} />;
  const waiting = queryState(result, { what: 'cost', title: 'Cost could not be loaded', level: 2, retry: reload });
  if (waiting)
    return (
      <div className="metrics-page">
        {header}
        {waiting}
      </div>
    );
  if (spenders.length === 0)
    return (
      <div className="metrics-page">
        {header}
        <section className="card empty-state" data-testid="cost-empty">
          <h2>No calls recorded yet</h2>
          <p>
            No calls recorded in the last {range} days — services record calls with <code>recordCalls</code> (or the client library's <code>track</code>
            ); see “Metrics and cost” in the README, or try it in <Link href="/graphiql">GraphiQL</Link>. Cost is the call's <code>costUsd</code>, else its
            tokens times the model's price.
          </p>
        </section>
      </div>
    );
  return (
    <div className="metrics-page">
      {header}
      <dl className="metrics-summary" data-testid="cost-summary">
        <div>
          <dt>Total, last {range} days</dt>
          <dd data-testid="cost-total" data-value={total}>
            {formatCost(total)}
          </dd>
        </div>
        <div>
          <dt>Per day (average)</dt>
          <dd>{formatCost(total / range)}</dd>
        </div>
        <div>
          <dt>Prompts with calls</dt>
          <dd>{formatCount(spenders.length)}</dd>
        </div>
      </dl>

      <section className="card" aria-labelledby="spenders-title">
        <h2 id="spenders-title">Top spenders</h2>
        <div className="metric-table" role="region" aria-labelledby="spenders-caption" tabIndex={0}>
          <table className="metric" data-testid="spenders">
            <caption id="spenders-caption">Prompts by cost over the last {range} days, highest first</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Rank
                </th>
                <th scope="col">Prompt</th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="num">
                  Share
                </th>
                <th scope="col" className="num">
                  Calls
                </th>
                <th scope="col">Daily cost, first → latest day</th>
              </tr>
            </thead>
            <tbody>
              {spenders.map((s, i) => (
                <tr key={s.name} data-prompt={s.name}>
                  <td className="num">{i + 1}</td>
                  <th scope="row">
                    <Link href={`/metrics/${s.name}?range=${range}`}>{s.name}</Link>
                  </th>
                  <td className="num" data-value={s.total}>
                    {formatCost(s.total)}
                  </td>
                  <td className="num">{total ? formatPercent(s.total / total) : '—'}</td>
                  <td className="num">{formatCount(s.calls)}</td>
                  <td data-first={s.first.cost} data-latest={s.latest.cost}>
                    {s.first.day === s.latest.day ? (
                      <>
                        {formatCost(s.latest.cost)}/day on {formatUtcDay(s.latest.day)}
                      </>
                    ) : (
                      <>
                        {formatCost(s.first.cost)}/day ({formatUtcDay(s.first.day)}) → {formatCost(s.latest.cost)}/day ({formatUtcDay(s.latest.day)})
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <TimeChart
        title={per === 'week' ? 'Cost per week' : 'Cost per day'}
        caption={`(USD) of the top ${Math.min(TOP, spenders.length)} prompts and all others${per === 'week' ? '; weeks start on Monday (UTC), the first one counts from the range’s start' : ' (UTC days)'}`}
        buckets={per === 'week' ? weeks : days}
        bucketMs={per === 'week' ? 7 * DAY_MS : DAY_MS}
        series={series}
        markers={noMarkers}
        format={formatCost}
        bucketLabel={per === 'week' ? formatUtcWeek : formatUtcDay}
        axisLabel={formatUtcShortDay}
        changesColumn={false}
        bucketHeader={per === 'week' ? 'Week' : 'Day'}
        colourOf={colourOfSpender}
        testId="chart-spend"
        controls={
          <div role="group" aria-label="Per" className="segmented">
            <button className={`btn small ${per === 'day' ? 'primary' : ''}`} aria-pressed={per === 'day'} onClick={() => set('per', 'day')}>
              Per day
            </button>
            <button className={`btn small ${per === 'week' ? 'primary' : ''}`} aria-pressed={per === 'week'} onClick={() => set('per', 'week')}>
              Per week
            </button>
          </div>
        }
      />
    </div>
  );
}
