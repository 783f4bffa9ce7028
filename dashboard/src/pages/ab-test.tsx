/**
 * One A/B test, live (`/ui/ab-tests/<id>`): the decision in plain words, SRM warnings, each variant's
 * calls (toward the minimum sample), metric value, difference to the control with its 95% interval
 * (bar and numbers) and p-values; ramp, stop and promote behind confirmations, disabled with the reason
 * for roles that may not. Refetched on abTestUpdated, on fresh calls (metricsUpdated) and on reconnect.
 */
import { useState } from 'react';
import { useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import { ABTestPageQuery } from '../api/ab-tests';
import { useABTestEvents } from '../api/use-ab-test-events';
import { usePromptEvents } from '../api/use-prompt-events';
import { PromoteDialog, RampDialog, StopDialog } from '../components/ab-test-dialogs';
import { CIBar } from '../components/ci-bar';
import { useNotify } from '../components/notices';
import { NotThere, queryState } from '../components/query-state';
import { Reason } from '../components/reason';
import type { AbTestPageQuery } from '../gql/graphql';
import {
  METRIC_NAMES,
  decisionWords,
  formatDifference,
  formatInterval,
  formatMetric,
  formatNumber,
  formatP,
  higherIsBetter,
  metricValue,
  observations,
  srmWarning,
  variantName,
  winnerKey,
} from '../lib/ab-wording';
import { changeNotice } from '../lib/change-notice';
import { formatAgo, formatDateTime } from '../lib/format';
import { cannotManageTests } from '../lib/permissions';
import { useWorkspace } from '../workspace';

type Test = NonNullable<AbTestPageQuery['abTest']>;
type Open = 'ramp' | 'stop' | 'promote' | null;

const STATUS_TEXT = { RUNNING: 'Running', CONCLUDED: 'Concluded', STOPPED: 'Stopped' } as const;

export default function ABTestPage() {
  const { id } = useParams<{ id: string }>();
  const [result, refetch] = useQuery({ query: ABTestPageQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const test = result.data?.abTest;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useABTestEvents(test?.prompt.name ?? null, reload, { withMetrics: test?.status === 'RUNNING' });

  const waiting = queryState(result, { what: 'the A/B test', title: 'A/B test', retry: reload });
  if (waiting) return waiting;
  if (!test)
    return <NotThere title="No such A/B test">There is no A/B test with this id in this workspace (the link may belong to another workspace).</NotThere>;
  return <TestView test={test} refreshing={result.fetching} reload={reload} />;
}

function TestView({ test, refreshing, reload }: { test: Test; refreshing: boolean; reload: () => void }) {
  const { me } = useWorkspace();
  const myName = me.user?.name ?? me.name;
  const notify = useNotify();
  const [open, setOpen] = useState<Open>(null);
  // What happens to the prompt meanwhile, in a notice: an automatic promotion, a rollback (which ends the
  // test), a label moved by someone else. The test's own view refreshes through useABTestEvents.
  usePromptEvents(test.prompt.name, (e) => {
    if (!['AB_TEST_CONCLUDED', 'AB_TEST_STOPPED', 'LABEL_MOVED', 'ROLLED_BACK'].includes(e.kind)) return;
    if (e.actor.name === myName) return; // this page's own actions already said what they did
    const text = changeNotice(e);
    if (text) notify(text);
  });
  const words = decisionWords(test);
  const srm = test.results.decision === 'SAMPLE_RATIO_MISMATCH' ? null : srmWarning(test);
  const running = test.status === 'RUNNING';
  const settled = !running || test.results.decision === 'WINNER' || test.results.decision === 'NO_DIFFERENCE';
  const why = cannotManageTests(test.prompt, me.role);
  const n = test.variants.length;
  const onLabel = test.prompt.labels.find((l) => l.name === test.label)?.version.number ?? null;
  const suggested = test.results.decision === 'WINNER' ? winnerKey(test) : null;
  const scale = Math.max(0, ...test.results.variants.flatMap((v) => (v.confidenceInterval ?? []).map(Math.abs)));
  const done = (text: string) => {
    setOpen(null);
    notify(text);
    reload();
  };
  const base = { testId: test.id, label: test.label, variants: test.variants, onClose: () => setOpen(null), onDone: done };

  return (
    <div className="ab-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href="/">Prompts</Link> / <Link href={`/prompts/${test.prompt.name}`}>{test.prompt.name}</Link> / A/B test
      </nav>
      <header className="prompt-head">
        <div>
          <h1>
            A/B test: {test.variants.map((v) => `v${v.version.number}`).join(' vs ')}{' '}
            <span className={`badge status-${test.status.toLowerCase()}`} data-testid="ab-status">
              {STATUS_TEXT[test.status]}
            </span>
          </h1>
          <p className="muted small">
            <strong>{test.prompt.name}</strong> @ {test.label} · decides on {METRIC_NAMES[test.metric]} · at least {formatNumber(test.minSampleSize)} calls per
            variant · {test.autoPromote ? 'promotes the winner automatically' : 'promotion by hand'} · started{' '}
            <time dateTime={test.startedAt} title={formatDateTime(test.startedAt)}>
              {formatAgo(test.startedAt)}
            </time>
            {test.endedAt && (
              <>
                {' '}
                · ended{' '}
                <time dateTime={test.endedAt} title={formatDateTime(test.endedAt)}>
                  {formatAgo(test.endedAt)}
                </time>
              </>
            )}
          </p>
        </div>
        {running && (
          <div className="head-actions ab-actions">
            <button className="btn" disabled={!!why} aria-describedby={why ? 'ab-why' : undefined} onClick={() => setOpen('ramp')}>
              Ramp traffic
            </button>
            <button className="btn danger" disabled={!!why} aria-describedby={why ? 'ab-why' : undefined} onClick={() => setOpen('stop')}>
              Stop test
            </button>
            <button
              className={`btn ${suggested ? 'primary' : ''}`}
              disabled={!!why}
              aria-describedby={why ? 'ab-why' : undefined}
              onClick={() => setOpen('promote')}
            >
              {suggested ? `Promote v${test.variants.find((v) => v.key === suggested)?.version.number} to ${test.label}` : 'Promote a variant…'}
            </button>
          </div>
        )}
      </header>
      {running && <Reason id="ab-why" text={why} />}

      <section className={`card decision ${words.tone}`} aria-labelledby="decision-title" data-testid="ab-decision">
        <h2 id="decision-title" className="sr-only">
          Decision
        </h2>
        <div role="status" aria-live="polite">
          <p className="decision-headline">{words.headline}</p>
          {words.detail && <p className="decision-detail">{words.detail}</p>}
        </div>
        {refreshing && <span className="muted small refreshing">Updating…</span>}
      </section>
      {srm && (
        <p className="srm banner warn" role="alert" data-testid="srm-warning">
          Traffic does not match the split. {srm}
        </p>
      )}

      <section aria-labelledby="variants-title">
        <h2 id="variants-title">Variants</h2>
        <ul role="list" className="ab-variants">
          {test.results.variants.map((v) => {
            const seen = observations(test.metric, v.metrics);
            const progress = Math.min(1, seen / test.minSampleSize);
            const ci = v.confidenceInterval;
            return (
              <li key={v.key} className={`card ab-variant ${v.key === test.winner?.key ? 'winner' : ''}`} data-testid={`variant-${v.key}`}>
                <div className="variant-head">
                  <h3>
                    {variantName(v.key, n)} <span className="muted">({v.key})</span> · v{v.version.number}
                  </h3>
                  <span className="badge muted">{v.weight}% of traffic</span>
                  {v.key === test.winner?.key && <span className="badge prod">winner</span>}
                </div>
                <dl className="facts ab-facts">
                  <dt>Calls</dt>
                  <dd data-testid="calls">
                    {formatNumber(v.metrics.totalCalls)}
                    {test.metric === 'QUALITY_SCORE' && <span className="muted"> ({formatNumber(v.metrics.feedbackCount)} scored)</span>}
                    {progress < 1 && <span className="muted"> · {formatNumber(test.minSampleSize - seen)} more needed</span>}
                  </dd>
                  <dt>{METRIC_NAMES[test.metric][0]!.toUpperCase() + METRIC_NAMES[test.metric].slice(1)}</dt>
                  <dd data-testid="metric-value">{formatMetric(test.metric, metricValue(test.metric, v.metrics))}</dd>
                  {!v.isControl && (
                    <>
                      <dt>vs control</dt>
                      <dd data-testid="difference">
                        {v.difference == null ? <span className="muted">no data yet</span> : <strong>{formatDifference(test.metric, v.difference)}</strong>}
                        {ci && <span className="muted"> ({formatInterval(test.metric, ci)})</span>}
                      </dd>
                      {v.difference != null && (
                        <>
                          <dt>p-value</dt>
                          <dd>
                            <span title="Valid however often you look (sequential test): this is what decides.">
                              always-valid {formatP(v.alwaysValidPValue)}
                            </span>
                            <span className="muted"> · classical {formatP(v.pValue)}</span>
                          </dd>
                        </>
                      )}
                    </>
                  )}
                </dl>
                {progress < 1 && (
                  <progress
                    className="sample"
                    max={test.minSampleSize}
                    value={seen}
                    aria-label={`${variantName(v.key, n)}: ${seen} of ${test.minSampleSize} calls`}
                  />
                )}
                {!v.isControl && ci && v.difference != null && (
                  <div className="ci-wrap">
                    <CIBar metric={test.metric} ci={ci} estimate={v.difference} scale={scale} settled={settled} />
                    <div className="ci-scale muted small" aria-hidden="true">
                      <span>{higherIsBetter(test.metric) ? 'worse' : 'better'}</span>
                      <span>0</span>
                      <span>{higherIsBetter(test.metric) ? 'better' : 'worse'}</span>
                    </div>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      <details className="card method">
        <summary>How this is decided</summary>
        <p className="small">{test.results.method}</p>
        {test.results.srmPValue != null && (
          <p className="small muted">Sample-ratio check: p = {formatP(test.results.srmPValue)} (below 0.001 blocks any decision).</p>
        )}
      </details>

      {open === 'ramp' && <RampDialog {...base} revision={test.prompt.revision} onConflict={reload} />}
      {open === 'stop' && <StopDialog {...base} current={onLabel} />}
      {open === 'promote' && <PromoteDialog {...base} suggested={suggested} />}
    </div>
  );
}
