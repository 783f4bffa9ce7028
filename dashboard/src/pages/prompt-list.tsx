/**
 * The prompt list: search (name and description), folder tree, tags, archived toggle, each row with its
 * production version, last change and who, calls and cost over the last 7 days. Filters live in the
 * URL (shareable, back button). Any change in the workspace (promptChanged) refetches what is shown.
 */
import { useEffect, useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { Link, useSearchParams } from 'wouter';
import { usePromptEvents, useResync } from '../api/use-prompt-events';
import { PromptCostsQuery, PromptListQuery, PromptNamesQuery } from '../api/documents';
import { FolderTree } from '../components/folder-tree';
import { NewPromptDialog } from '../components/new-prompt-dialog';
import { Reason } from '../components/reason';
import { roleText } from '../lib/permissions';
import { useWorkspace } from '../workspace';
import { useNotify } from '../components/notices';
import type { PromptNamesQuery as NamesResult } from '../gql/graphql';
import { folderTree, tagCounts } from '../lib/folders';
import { formatAgo, formatCost, formatCount, formatDateTime } from '../lib/format';
import { lastChange } from '../lib/last-change';
import { useDebounced } from '../lib/use-debounced';
import { changeNotice } from '../lib/change-notice';

const PAGE_SIZE = 100;
type NameRow = NamesResult['prompts']['edges'][number]['node'];
type Usage = Map<string, { calls: number; cost: number }>;

/** Seven days back, rounded down to the hour (metrics come from hourly rollups; a stable variable keeps the cache useful). */
function sevenDaysAgo(): string {
  const t = Date.now() - 7 * 24 * 3600 * 1000;
  return new Date(t - (t % 3_600_000)).toISOString();
}

export function PromptListPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const folder = params.get('folder') ?? '';
  const archived = params.get('archived') === '1';
  const [typed, setTyped] = useState(search);
  const debounced = useDebounced(typed, 250);
  const [refresh, setRefresh] = useState(0);
  const [creating, setCreating] = useState(false);
  const notify = useNotify();
  const { me } = useWorkspace();
  // Prompts are created by EDITOR and up (a service key with scopes creates none).
  const createReason = me.role && me.role !== 'VIEWER' ? null : `Creating prompts needs the EDITOR role or above (${roleText(me.role)}).`;

  const update = (patch: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  useEffect(() => {
    if (debounced !== search) update({ q: debounced });
  }, [debounced]);

  // Live: whatever changes in the workspace, what is shown is refetched; label moves get a notice.
  usePromptEvents(null, (e) => {
    setRefresh((r) => r + 1);
    const text = changeNotice(e);
    if (text) notify(text);
  });
  // Back from a lost socket: changes made meanwhile sent events no one will replay.
  useResync(() => setRefresh((r) => r + 1));

  const names = useAllNames(refresh);
  const [since] = useState(sevenDaysAgo);
  const [costs, refetchCosts] = useQuery({ query: PromptCostsQuery, variables: { since } });
  useEffect(() => {
    if (refresh) refetchCosts({ requestPolicy: 'network-only' });
  }, [refresh, refetchCosts]);
  const usage: Usage = useMemo(() => {
    const m: Usage = new Map();
    for (const r of costs.data?.metrics ?? []) if (r.promptName) m.set(r.promptName, { calls: r.totalCalls, cost: r.totalCost });
    return m;
  }, [costs.data]);

  const filter = { search: search || null, tag: tag || null, folder: folder ? `${folder}/` : null, includeArchived: archived };
  const filterKey = JSON.stringify(filter);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  useEffect(() => setPages([null]), [filterKey]);

  const tree = useMemo(() => folderTree((names.rows ?? []).filter((n) => archived || !n.archivedAt).map((n) => n.name)), [names.rows, archived]);
  const tags = useMemo(() => tagCounts((names.rows ?? []).filter((n) => archived || !n.archivedAt)), [names.rows, archived]);

  return (
    <div className="list-layout">
      <aside className="sidebar" aria-label="Filters">
        <details open className="filters">
          <summary>Folders and tags</summary>
          {names.error ? (
            <p className="error">Folders could not be loaded.</p>
          ) : (
            <FolderTree root={tree} selected={folder} onSelect={(path) => update({ folder: path })} />
          )}
          {tags.length > 0 && (
            <div className="tag-filter">
              <h2 className="small-title">Tags</h2>
              <ul role="list" className="chips">
                {tags.map((t) => (
                  <li key={t.tag}>
                    <button
                      className={`chip ${tag === t.tag ? 'active' : ''}`}
                      aria-pressed={tag === t.tag}
                      data-testid={`tag-${t.tag}`}
                      onClick={() => update({ tag: tag === t.tag ? '' : t.tag })}
                    >
                      {t.tag} <span className="count">{t.count}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </details>
      </aside>
      <section className="list-main" aria-labelledby="list-title">
        <div className="list-head">
          <h1 id="list-title">{folder ? `${folder}/` : 'Prompts'}</h1>
          <div className="toolbar">
            <label className="search">
              <span className="sr-only">Search prompts</span>
              <input
                type="search"
                placeholder="Search name or description"
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                aria-label="Search prompts"
              />
            </label>
            <label className="toggle">
              <input type="checkbox" checked={archived} onChange={(e) => update({ archived: e.target.checked ? '1' : '' })} />
              <span>Show archived</span>
            </label>
            <button
              className="btn primary"
              disabled={!!createReason}
              aria-describedby={createReason ? 'create-why' : undefined}
              onClick={() => setCreating(true)}
            >
              New prompt
            </button>
          </div>
        </div>
        <Reason id="create-why" text={createReason} />
        {creating && <NewPromptDialog folder={folder} onClose={() => setCreating(false)} />}
        {(tag || folder || search) && (
          <p className="active-filters">
            {folder && <FilterPill label={`Folder ${folder}/`} onClear={() => update({ folder: '' })} />}
            {tag && <FilterPill label={`Tag ${tag}`} onClear={() => update({ tag: '' })} />}
            {search && (
              <FilterPill
                label={`“${search}”`}
                onClear={() => {
                  setTyped('');
                  update({ q: '' });
                }}
              />
            )}
          </p>
        )}
        {costs.error && <p className="error inline">Usage of the last 7 days could not be loaded: {costs.error.message}</p>}
        <div className="table-wrap">
          <table className="prompts" aria-describedby="list-title">
            <thead>
              <tr>
                <th scope="col">Prompt</th>
                <th scope="col">Production</th>
                <th scope="col">Last change</th>
                <th scope="col" className="num">
                  Calls 7 d
                </th>
                <th scope="col" className="num">
                  Cost 7 d
                </th>
              </tr>
            </thead>
            {pages.map((after, i) => (
              <PromptRows
                key={`${filterKey}:${after ?? ''}`}
                filter={filter}
                after={after}
                usage={usage}
                refresh={refresh}
                isLast={i === pages.length - 1}
                onMore={(cursor) => setPages((p) => [...p, cursor])}
              />
            ))}
          </table>
        </div>
      </section>
    </div>
  );
}

function FilterPill({ label, onClear }: { label: string; onClear: () => void }) {
  return (
    <span className="pill">
      {label}
      <button className="pill-x" onClick={onClear} aria-label={`Clear ${label}`}>
        ×
      </button>
    </span>
  );
}

type Filter = { search: string | null; tag: string | null; folder: string | null; includeArchived: boolean };

function PromptRows(props: { filter: Filter; after: string | null; usage: Usage; refresh: number; isLast: boolean; onMore: (cursor: string) => void }) {
  const [result, reexecute] = useQuery({ query: PromptListQuery, variables: { filter: props.filter, first: PAGE_SIZE, after: props.after } });
  useEffect(() => {
    if (props.refresh) reexecute({ requestPolicy: 'network-only' });
  }, [props.refresh, reexecute]);
  const { data, fetching, error } = result;
  if (!data && fetching)
    return (
      <tbody>
        <tr>
          <td colSpan={5} className="state" role="status">
            Loading prompts…
          </td>
        </tr>
      </tbody>
    );
  if (!data && error)
    return (
      <tbody>
        <tr>
          <td colSpan={5} className="state error" role="alert">
            The prompts could not be loaded: {error.message}{' '}
            <button className="btn small" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
              Retry
            </button>
          </td>
        </tr>
      </tbody>
    );
  if (!data) return null;
  const { edges, pageInfo, totalCount } = data.prompts;
  const anyFilter = props.filter.search || props.filter.tag || props.filter.folder;
  return (
    <tbody>
      {edges.length === 0 && props.after === null && (
        <tr>
          <td colSpan={5} className="state empty">
            {anyFilter
              ? 'No prompt matches these filters.'
              : 'No prompts yet. Create one with “New prompt”, or push prompt files with the CLI (`prompt-service push`).'}
          </td>
        </tr>
      )}
      {edges.map(({ node: p }) => {
        const change = lastChange(p);
        const u = props.usage.get(p.name);
        const slash = p.name.lastIndexOf('/');
        return (
          <tr key={p.id} data-testid="prompt-row" className={p.archivedAt ? 'archived' : undefined}>
            <td className="name-cell">
              <Link href={`/prompts/${p.name}`} className="prompt-name">
                {slash >= 0 && <span className="folder">{p.name.slice(0, slash + 1)}</span>}
                {p.name.slice(slash + 1)}
              </Link>
              {p.archivedAt && <span className="badge muted">archived</span>}
              {p.description && <div className="desc">{p.description}</div>}
              {p.tags.length > 0 && (
                <ul role="list" className="chips inline" aria-label="Tags">
                  {p.tags.map((t) => (
                    <li key={t} className="chip static">
                      {t}
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td data-label="Production">
              {p.activeVersion ? <span className="badge prod">v{p.activeVersion.number}</span> : <span className="muted">none</span>}
            </td>
            <td data-label="Last change">
              <div className="change">
                <span>{change.what}</span>
                <span className="muted">
                  {change.who ? `${change.who} · ` : ''}
                  <time dateTime={change.at} title={formatDateTime(change.at)}>
                    {formatAgo(change.at)}
                  </time>
                </span>
              </div>
            </td>
            <td data-label="Calls 7 d" className="num">
              {formatCount(u?.calls ?? 0)}
            </td>
            <td data-label="Cost 7 d" className="num">
              {formatCost(u?.cost ?? 0)}
            </td>
          </tr>
        );
      })}
      {props.isLast && (
        <tr className="foot">
          <td colSpan={5}>
            <div className="foot-inner">
              <span className="muted" data-testid="total">
                {totalCount === 1 ? '1 prompt' : `${formatCount(totalCount)} prompts`}
              </span>
              {pageInfo.hasNextPage && pageInfo.endCursor && (
                <button className="btn small" onClick={() => props.onMore(pageInfo.endCursor!)}>
                  Load more
                </button>
              )}
            </div>
          </td>
        </tr>
      )}
    </tbody>
  );
}

/** Every prompt name (all pages) for the folder tree and tag list; refetched when `refresh` changes. */
function useAllNames(refresh: number): { rows: NameRow[] | null; error: boolean } {
  const client = useClient();
  const [state, setState] = useState<{ rows: NameRow[] | null; error: boolean }>({ rows: null, error: false });
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const rows: NameRow[] = [];
      let after: string | null = null;
      for (;;) {
        const r = await client.query(PromptNamesQuery, { after }, { requestPolicy: 'network-only' }).toPromise();
        if (cancelled) return;
        if (!r.data) return setState((s) => ({ rows: s.rows, error: true }));
        rows.push(...r.data.prompts.edges.map((e) => e.node));
        if (!r.data.prompts.pageInfo.hasNextPage) break;
        after = r.data.prompts.pageInfo.endCursor ?? null;
      }
      setState({ rows, error: false });
    })();
    return () => {
      cancelled = true;
    };
  }, [client, refresh]);
  return state;
}
