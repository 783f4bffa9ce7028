/**
 * The prompt page's "A/B tests" card: "Start A/B test" (disabled with the reason for roles that may
 * not), the running and past tests linking to their live pages, kept current by abTestUpdated.
 */
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { PromptABTestsQuery } from '../api/ab-tests';
import { useABTestEvents } from '../api/use-ab-test-events';
import { METRIC_NAMES } from '../lib/ab-wording';
import { explainError } from '../lib/errors';
import { formatAgo, formatDateTime } from '../lib/format';
import { cannotManageTests } from '../lib/permissions';
import { useWorkspace } from '../workspace';
import { Reason } from './reason';

const STATUS_TEXT = { RUNNING: 'Running', CONCLUDED: 'Concluded', STOPPED: 'Stopped' } as const;

export function ABTestsSection({ promptName }: { promptName: string }) {
  const { me } = useWorkspace();
  const [result, refetch] = useQuery({ query: PromptABTestsQuery, variables: { name: promptName }, requestPolicy: 'cache-and-network' });
  useABTestEvents(promptName, () => refetch({ requestPolicy: 'network-only' }));
  const prompt = result.data?.prompt;
  const versionCount = prompt?.latestVersion?.number ?? 0;
  const why = prompt
    ? (cannotManageTests(prompt, me.role) ?? (versionCount < 2 ? 'An A/B test compares versions: create a second version first.' : null))
    : 'Loading…';
  const tests = prompt?.abTests ?? [];

  return (
    <section className="card ab-section" aria-labelledby="ab-title" data-testid="ab-tests">
      <div className="details-head">
        <h2 id="ab-title">A/B tests</h2>
        {why ? (
          <button className="btn small" disabled aria-describedby="start-ab-why">
            Start A/B test
          </button>
        ) : (
          <Link href={`/ab-tests/new/${promptName}`} className="btn small primary">
            Start A/B test
          </Link>
        )}
      </div>
      {prompt && <Reason id="start-ab-why" text={why} />}
      {result.fetching && !result.data ? (
        <p className="muted" role="status">
          Loading A/B tests…
        </p>
      ) : result.error && !result.data ? (
        <p className="error" role="alert">
          The A/B tests could not be loaded: {explainError(result.error)}{' '}
          <button className="btn small" onClick={() => refetch({ requestPolicy: 'network-only' })}>
            Retry
          </button>
        </p>
      ) : tests.length === 0 ? (
        <p className="muted" data-testid="ab-empty">
          No A/B tests yet — start one to compare two versions on live traffic.
        </p>
      ) : (
        <ul role="list" className="ab-list">
          {tests.map((t) => (
            <li key={t.id} data-testid="ab-row" className={`ab-row ${t.status.toLowerCase()}`}>
              <Link href={`/ab-tests/${t.id}`} className="ab-row-link">
                <span className={`badge status-${t.status.toLowerCase()}`}>{STATUS_TEXT[t.status]}</span>{' '}
                <strong>{t.variants.map((v) => `v${v.version.number}`).join(' vs ')}</strong>
                <span className="muted"> ({t.variants.map((v) => v.weight).join('/')})</span>
              </Link>
              <div className="muted small">
                {METRIC_NAMES[t.metric]} on {t.label} · started{' '}
                <time dateTime={t.startedAt} title={formatDateTime(t.startedAt)}>
                  {formatAgo(t.startedAt)}
                </time>
                {t.winner && ` · winner v${t.winner.version.number}`}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
