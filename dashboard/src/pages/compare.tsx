/**
 * Compare two versions of a prompt at a shareable URL (`/ui/compare/<name>?from=2&to=5&layout=unified`):
 * the text side by side or unified, and every other changed field as a table (versionDiff).
 */
import { useQuery } from 'urql';
import { Link, useParams, useSearchParams } from 'wouter';
import { CompareQuery, VersionDiffQuery } from '../api/documents';
import { FieldChanges } from '../components/diff-view';
import { NotThere, queryState } from '../components/query-state';
import { TextDiff } from '../components/text-diff';
import { diffableText } from '../lib/draft';
import { explainError } from '../lib/errors';

export default function ComparePage() {
  const params = useParams<{ '*': string }>();
  const name = decodeURIComponent(params['*'] ?? '');
  const [search, setSearch] = useSearchParams();
  const [result, refetch] = useQuery({ query: CompareQuery, variables: { name } });
  const prompt = result.data?.prompt;
  const versions = prompt?.versions ?? [];
  const to = versions.find((v) => v.number === Number(search.get('to'))) ?? versions[0];
  const from = versions.find((v) => v.number === Number(search.get('from'))) ?? versions.find((v) => v.number < (to?.number ?? 0)) ?? versions[1] ?? to;
  const layout = search.get('layout') === 'unified' ? 'unified' : 'split';
  const [diff] = useQuery({ query: VersionDiffQuery, variables: { from: from?.id ?? '', to: to?.id ?? '' }, pause: !from || !to });
  const set = (k: string, v: string) =>
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set(k, v);
        return next;
      },
      { replace: true },
    );

  const waiting = queryState(result, { what: name, title: 'Compare versions', retry: () => refetch({ requestPolicy: 'network-only' }) });
  if (waiting) return waiting;
  if (!prompt) return <NotThere title={`No prompt “${name}”`}>There is no prompt of this name in this workspace, so there is nothing to compare.</NotThere>;
  return (
    <div className="compare-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href="/">Prompts</Link> / <Link href={`/prompts/${prompt.name}`}>{prompt.name}</Link>
      </nav>
      <h1>Compare versions</h1>
      <div className="toolbar compare-bar">
        <label className="field inline">
          <span>From</span>
          <select value={from?.number} onChange={(e) => set('from', e.target.value)} aria-label="From version">
            {versions.map((v) => (
              <option key={v.id} value={v.number}>
                v{v.number}
                {v.message ? ` — ${v.message}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>To</span>
          <select value={to?.number} onChange={(e) => set('to', e.target.value)} aria-label="To version">
            {versions.map((v) => (
              <option key={v.id} value={v.number}>
                v{v.number}
                {v.message ? ` — ${v.message}` : ''}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="Layout" className="segmented">
          <button className={`btn small ${layout === 'split' ? 'primary' : ''}`} aria-pressed={layout === 'split'} onClick={() => set('layout', 'split')}>
            Side by side
          </button>
          <button className={`btn small ${layout === 'unified' ? 'primary' : ''}`} aria-pressed={layout === 'unified'} onClick={() => set('layout', 'unified')}>
            Unified
          </button>
        </div>
      </div>
      {from && to && (
        <section className="card">
          <TextDiff
            key={layout}
            before={diffableText(from)}
            after={diffableText(to)}
            beforeLabel={`v${from.number}`}
            afterLabel={`v${to.number}`}
            layout={layout}
          />
          <h2 className="small-title">Other changed fields</h2>
          {diff.error && <p className="error">{explainError(diff.error)}</p>}
          {diff.data &&
            (diff.data.versionDiff.changes.length ? (
              <FieldChanges changes={diff.data.versionDiff.changes} />
            ) : (
              <p className="muted">No other field differs.</p>
            ))}
        </section>
      )}
    </div>
  );
}
