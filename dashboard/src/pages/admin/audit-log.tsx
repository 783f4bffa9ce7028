/**
 * The audit log: every change in the workspace, newest first, filtered by actor, action, prompt and
 * date range (kept in the URL, so a filtered view can be shared), paged with "Load more"; each entry
 * opens to its before and after, as a diff of the fields where both exist.
 */
import { Fragment, useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { useSearchParams } from 'wouter';
import { ApiKeysQuery, AuditLogQuery, MembersQuery } from '../../api/admin';
import { queryState } from '../../components/query-state';
import { formatDateTime } from '../../lib/format';
import { jsonDiff } from '../../lib/json-diff';

const PAGE = 25;
const KNOWN_ACTIONS = [
  'prompt.create',
  'version.create',
  'label.set',
  'label.remove',
  'prompt.rollback',
  'member.setRole',
  'member.remove',
  'invitation.create',
  'invitation.resend',
  'invitation.revoke',
  'invitation.accept',
  'apiKey.create',
  'apiKey.revoke',
  'price.set',
  'workspace.protectedLabels',
  'passwordReset.create',
  'passwordReset.request',
  'user.resetPassword',
  'signIn',
  'signIn.failed',
];

type Entry = { id: string; action: string; target?: string | null; targetType: string; before?: unknown; after?: unknown; requestId?: string | null };
type Filters = { actor: string; action: string; prompt: string; from: string; to: string };

/** A day in the date inputs → the filter's bounds (from its start; until the end of the `to` day), in the viewer's time zone. */
function toFilter(f: Filters) {
  return {
    actorId: f.actor || null,
    action: f.action.trim() || null,
    prompt: f.prompt.trim() || null,
    from: f.from ? new Date(`${f.from}T00:00:00`).toISOString() : null,
    to: f.to ? new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_400_000).toISOString() : null,
  };
}

function AuditDetail({ entry }: { entry: Entry }) {
  const both = entry.before != null && entry.after != null;
  if (!both) {
    const only = entry.after ?? entry.before;
    return (
      <div className="audit-detail" data-testid="audit-detail">
        <h4 className="small-title">{entry.after != null ? 'After (created)' : entry.before != null ? 'Before (removed)' : 'No recorded state'}</h4>
        {only != null && <pre className="json">{JSON.stringify(only, null, 2)}</pre>}
        {entry.requestId && <p className="muted small">Request {entry.requestId}</p>}
      </div>
    );
  }
  const rows = jsonDiff(entry.before, entry.after);
  return (
    <div className="audit-detail" data-testid="audit-detail">
      <table className="changes audit-diff" data-testid="audit-diff">
        <caption className="sr-only">Before and after</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.path} className={`diff-${r.kind}`} data-testid={`diff-${r.kind}`}>
              <th scope="row">
                <code>{r.path}</code>
              </th>
              <td className="before">{r.before === null ? <span className="muted">—</span> : <code>{r.before}</code>}</td>
              <td className="after">
                {r.after === null ? <span className="muted">—</span> : <code>{r.after}</code>}
                {r.kind !== 'same' && <span className="sr-only"> ({r.kind})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entry.requestId && <p className="muted small">Request {entry.requestId}</p>}
    </div>
  );
}

export function AuditLogSection() {
  const [params, setParams] = useSearchParams();
  const applied: Filters = {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    prompt: params.get('prompt') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const [draft, setDraft] = useState<Filters>(applied);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const key = JSON.stringify(applied);
  useEffect(() => {
    setPages([null]);
    setDraft(JSON.parse(key) as Filters);
  }, [key]);
  const [members] = useQuery({ query: MembersQuery, requestPolicy: 'cache-and-network' });
  const [keys] = useQuery({ query: ApiKeysQuery, requestPolicy: 'cache-and-network' });
  const actors = [
    ...(members.data?.members ?? []).map((m) => ({ id: m.user.id, label: `${m.user.name} (${m.user.email})` })),
    ...(keys.data?.apiKeys ?? []).map((k) => ({ id: k.id, label: `key: ${k.name}` })),
  ];

  function apply(next: Filters) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v.trim()) p.set(k, v.trim());
    setParams(p);
  }
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const filtered = Object.values(applied).some((v) => v);

  return (
    <>
      <form
        className="card admin-form audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
        aria-label="Filter the audit log"
      >
        <div className="form-row wrap">
          <label className="field">
            <span>Actor</span>
            <select value={draft.actor} onChange={set('actor')}>
              <option value="">Anyone</option>
              {actors.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Action</span>
            <input list="audit-actions" value={draft.action} onChange={set('action')} placeholder="e.g. label.set" autoComplete="off" />
            <datalist id="audit-actions">
              {KNOWN_ACTIONS.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </label>
          <label className="field">
            <span>Prompt</span>
            <input value={draft.prompt} onChange={set('prompt')} placeholder="e.g. support/classifier" autoComplete="off" />
          </label>
          <label className="field">
            <span>From</span>
            <input type="date" value={draft.from} onChange={set('from')} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={draft.to} onChange={set('to')} />
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn primary">
            Apply filters
          </button>
          {filtered && (
            <button type="button" className="btn" onClick={() => apply({ actor: '', action: '', prompt: '', from: '', to: '' })}>
              Clear
            </button>
          )}
        </div>
      </form>
      <div className="table-wrap">
        <table className="admin-table audit" data-testid="audit-log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">On</th>
              <th scope="col">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          {pages.map((after, i) => (
            <AuditPage
              key={`${key}:${after ?? 'first'}`}
              filter={toFilter(applied)}
              after={after}
              first={i === 0}
              last={i === pages.length - 1}
              filtered={filtered}
              open={open}
              toggle={toggle}
              more={(cursor) => setPages((p) => [...p, cursor])}
            />
          ))}
        </table>
      </div>
    </>
  );
}

type PageProps = {
  filter: ReturnType<typeof toFilter>;
  after: string | null;
  first: boolean;
  last: boolean;
  filtered: boolean;
  open: Set<string>;
  toggle: (id: string) => void;
  more: (cursor: string) => void;
};

/** One page of entries (its own query, so earlier pages stay as they were while more load). */
function AuditPage({ filter, after, first, last, filtered, open, toggle, more }: PageProps) {
  const [q, refetch] = useQuery({
    query: AuditLogQuery,
    variables: { filter, first: PAGE, after },
    requestPolicy: first ? 'cache-and-network' : 'cache-first',
  });
  const colSpan = 5;
  const waiting = queryState(q, { what: 'entries', retry: () => refetch({ requestPolicy: 'network-only' }) });
  if (waiting)
    return (
      <tbody>
        <tr>
          <td colSpan={colSpan}>{waiting}</td>
        </tr>
      </tbody>
    );
  const log = q.data!.auditLog;
  return (
    <tbody>
      {first && log.edges.length === 0 && (
        <tr>
          <td colSpan={colSpan} className="state" data-testid="empty">
            {filtered ? 'No entry matches these filters. Widen the dates or clear a filter.' : 'Nothing has happened in this workspace yet.'}
          </td>
        </tr>
      )}
      {log.edges.map(({ node }) => {
        const expanded = open.has(node.id);
        return (
          <Fragment key={node.id}>
            <tr data-testid="audit-row" data-action={node.action}>
              <td data-label="When">{formatDateTime(node.at)}</td>
              <td data-label="Who">
                {node.actor.name}
                {node.actor.email && node.actor.email !== node.actor.name && <div className="desc">{node.actor.email}</div>}
              </td>
              <td data-label="What">
                <code>{node.action}</code>
              </td>
              <td data-label="On">
                {node.target ?? <span className="muted">{node.targetType}</span>}
                {node.target && <div className="desc">{node.targetType}</div>}
              </td>
              <td className="row-actions" data-label="">
                <button
                  type="button"
                  className="btn small"
                  aria-expanded={expanded}
                  aria-controls={`audit-${node.id}`}
                  onClick={() => toggle(node.id)}
                  aria-label={`${expanded ? 'Hide before / after' : 'Before / after'} of ${node.action}${node.target ? ` on ${node.target}` : ''}`}
                >
                  {expanded ? 'Hide before / after' : 'Before / after'}
                </button>
              </td>
            </tr>
            {expanded && (
              <tr id={`audit-${node.id}`} className="audit-expanded">
                <td colSpan={colSpan}>
                  <AuditDetail entry={node} />
                </td>
              </tr>
            )}
          </Fragment>
        );
      })}
      {last && (
        <tr className="foot">
          <td colSpan={colSpan}>
            <div className="foot-inner">
              <span data-testid="audit-count">
                {log.totalCount} {log.totalCount === 1 ? 'entry' : 'entries'}
                {filtered ? ' match' : ' in all'}
              </span>
              {log.pageInfo.hasNextPage && log.pageInfo.endCursor && (
                <button type="button" className="btn small" onClick={() => more(log.pageInfo.endCursor!)}>
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
