/**
 * One prompt: its labels, versions (with one-click "Deploy vN to production" behind a confirmation
 * showing the diff against production and asking why), rollback, and the label history with
 * "Revert this move". Live: a change to the prompt (another tab, the API, a service) whose revision is
 * newer than the page's refetches the page and shows a short notice; so does a reconnect of the socket. Buttons the caller's role may not use are disabled with the reason;
 * so are deploying to production and reverting its moves while an A/B test runs on it (the test owns the label), with a link to the test.
 */
import { useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useParams, useSearchParams } from 'wouter';
import { PromptPageQuery, RollbackMutation, SetLabelMutation } from '../api/documents';
import { usePromptEvents, useResync } from '../api/use-prompt-events';
import { ABTestsSection } from '../components/ab-tests-section';
import { DeployDialog } from '../components/deploy-dialog';
import { useNotify } from '../components/notices';
import { NotThere, queryState } from '../components/query-state';
import { Reason } from '../components/reason';
import { TestPanel, type RenderTarget } from '../components/test-panel';
import type { PromptPageQuery as PageResult } from '../gql/graphql';
import { changeNotice } from '../lib/change-notice';
import { explainError } from '../lib/errors';
import { formatAgo, formatDateTime } from '../lib/format';
import { isBehind } from '../lib/revision';
import { cannotDeploy, cannotMoveLabel, cannotMoveUnderTest, cannotRollback, roleText, runningTestOn } from '../lib/permissions';
import { useWorkspace } from '../workspace';

export type PagePrompt = NonNullable<PageResult['prompt']>;
export type PageVersion = PagePrompt['versions'][number];

export function PromptPage() {
  const params = useParams<{ '*': string }>();
  const name = decodeURIComponent(params['*'] ?? '');
  // cache-and-network: coming back to a prompt (e.g. from its A/B test, after a promotion moved a label)
  // shows the cached page at once and the current one a moment later, never only the stale copy.
  const [result, refetch] = useQuery({ query: PromptPageQuery, variables: { name }, requestPolicy: 'cache-and-network' });
  const notify = useNotify();
  const reload = () => refetch({ requestPolicy: 'network-only' });
  usePromptEvents(name, (e) => {
    // Only when the page is behind: its own change, already refetched after the mutation, needs no second fetch.
    if (isBehind(result.data?.prompt?.revision, e.revision)) reload();
    const text = changeNotice(e);
    if (text) notify(text);
  });
  // Back from a lost socket: whatever changed meanwhile sent events no one will replay.
  useResync(reload);

  const waiting = queryState(result, { what: name, title: name, retry: reload });
  if (waiting) return waiting;
  const prompt = result.data?.prompt;
  if (!prompt)
    return (
      <NotThere title={`No prompt “${name}”`}>
        There is no prompt of this name in this workspace (it may have been deleted, or live in another workspace).
      </NotThere>
    );
  return <PromptView prompt={prompt} refetch={reload} />;
}

function PromptView({ prompt, refetch }: { prompt: PagePrompt; refetch: () => void }) {
  const { me } = useWorkspace();
  const notify = useNotify();
  const [params, setParams] = useSearchParams();
  const [deploying, setDeploying] = useState<PageVersion | null>(null);
  const deployed = useRef<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [, setLabel] = useMutation(SetLabelMutation);
  const [rollbackState, rollback] = useMutation(RollbackMutation);

  const production = prompt.labels.find((l) => l.name === 'production') ?? null;
  const selectedNumber = Number(params.get('v')) || production?.version.number || prompt.versions[0]?.number;
  const selected = prompt.versions.find((v) => v.number === selectedNumber) ?? prompt.versions[0] ?? null;
  const lastProductionMove = prompt.labelHistory.find((m) => m.label === 'production');
  const rollbackTarget = lastProductionMove?.fromVersion ?? null;
  // Tests run on any label: a move of a label under its own test is refused too (not only production's).
  const runningTest = runningTestOn(prompt.abTests, 'production');
  const testReason = cannotMoveUnderTest('production', runningTest);
  const deployReason = cannotDeploy(prompt, me.role) ?? testReason;
  const rollbackReason = cannotRollback(prompt, me.role) ?? (rollbackTarget ? null : 'There is no earlier production version to go back to.');

  async function doRollback() {
    setActionError(null);
    const r = await rollback({ promptName: prompt.name, expectedRevision: prompt.revision, reason: 'Rolled back from the dashboard' });
    if (r.error) {
      setActionError(explainError(r.error));
      refetch();
    } else notify(`${prompt.name}: production rolled back to v${rollbackTarget?.number}`);
  }

  async function revert(move: PagePrompt['labelHistory'][number]) {
    if (!move.fromVersion) return;
    setActionError(null);
    const r = await setLabel({
      promptName: prompt.name,
      label: move.label,
      versionId: move.fromVersion.id,
      expectedRevision: prompt.revision,
      reason: `Revert of the move to v${move.toVersion?.number ?? '?'} at ${formatDateTime(move.at)}`,
    });
    if (r.error) {
      setActionError(explainError(r.error));
      refetch();
    } else notify(`${prompt.name}: ${move.label} → v${move.fromVersion.number}`);
  }

  const slash = prompt.name.lastIndexOf('/');
  return (
    <div className="prompt-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href="/">Prompts</Link>
        {slash >= 0 && (
          <>
            {' / '}
            <Link href={`/?folder=${encodeURIComponent(prompt.name.slice(0, slash))}`}>{prompt.name.slice(0, slash)}</Link>
          </>
        )}
      </nav>
      <header className="prompt-head">
        <div>
          <h1>
            {prompt.name}
            {prompt.archivedAt && <span className="badge muted">archived</span>}
          </h1>
          {prompt.description && <p className="desc">{prompt.description}</p>}
          {prompt.tags.length > 0 && (
            <ul role="list" className="chips inline" aria-label="Tags">
              {prompt.tags.map((t) => (
                <li key={t} className="chip static">
                  {t}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="head-actions">
          <Link href={`/metrics/${prompt.name}`} className="btn" data-testid="metrics-link">
            Metrics and cost
          </Link>
          <div className="action">
            <button className="btn" disabled={!!rollbackReason || rollbackState.fetching} aria-describedby="rollback-why" onClick={() => void doRollback()}>
              {rollbackTarget ? `Roll back production to v${rollbackTarget.number}` : 'Roll back production'}
            </button>
            <Reason id="rollback-why" text={rollbackReason} />
          </div>
        </div>
      </header>
      {actionError && (
        <p className="error banner" role="alert">
          {actionError}
        </p>
      )}

      <div className="prompt-grid">
        <section className="card" aria-labelledby="versions-title">
          <h2 id="versions-title">Versions</h2>
          {prompt.versions.length === 0 ? (
            <p className="muted">No versions yet.</p>
          ) : (
            <ol className="versions" role="list">
              {prompt.versions.map((v) => {
                const isProd = production?.version.id === v.id;
                return (
                  <li key={v.id} className={`version ${selected?.id === v.id ? 'selected' : ''}`} data-testid={`version-${v.number}`}>
                    <div className="version-main">
                      <button
                        className="version-link"
                        onClick={() => setParams({ v: String(v.number) }, { replace: true })}
                        aria-pressed={selected?.id === v.id}
                      >
                        <strong>v{v.number}</strong>
                        <span className="version-msg">{v.message ?? <span className="muted">no message</span>}</span>
                      </button>
                      <div className="muted small">
                        {v.createdBy.name} ·{' '}
                        <time dateTime={v.createdAt} title={formatDateTime(v.createdAt)}>
                          {formatAgo(v.createdAt)}
                        </time>{' '}
                        · {v.model}
                      </div>
                      {v.labels.length > 0 && (
                        <ul role="list" className="chips inline" aria-label={`Labels of v${v.number}`}>
                          {v.labels.map((l) => (
                            <li key={l} className={`chip static ${l === 'production' ? 'prod' : ''}`}>
                              {l}
                            </li>
                          ))}
                        </ul>
                      )}
                    </div>
                    <div className="version-actions">
                      {isProd ? (
                        <span className="badge prod">in production</span>
                      ) : (
                        <>
                          <button
                            className="btn small primary"
                            disabled={!!deployReason}
                            aria-describedby={deployReason ? 'deploy-why' : undefined}
                            onClick={() => {
                              deployed.current = null;
                              setDeploying(v);
                            }}
                          >
                            Deploy v{v.number} to production
                          </button>
                        </>
                      )}
                    </div>
                  </li>
                );
              })}
            </ol>
          )}
          <Reason id="deploy-why" text={deployReason}>
            {runningTest && deployReason === testReason && <Link href={`/ab-tests/${runningTest.id}`}>Open the A/B test</Link>}
          </Reason>
        </section>

        <aside className="side">
          <section className="card" aria-labelledby="labels-title">
            <h2 id="labels-title">Labels</h2>
            {prompt.labels.length === 0 ? (
              <p className="muted">No labels.</p>
            ) : (
              <ul role="list" className="labels">
                {prompt.labels.map((l) => (
                  <li key={l.name} data-testid={`label-${l.name}`}>
                    <span className={`chip static ${l.name === 'production' ? 'prod' : ''}`}>{l.name}</span>
                    <strong>v{l.version.number}</strong>
                    {l.protected && (
                      <span className="muted small" title="Needs the PUBLISHER role to move">
                        protected
                      </span>
                    )}
                    <span className="muted small">
                      {l.updatedBy.name} · {formatAgo(l.updatedAt)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {selected && (
            <VersionDetails
              version={selected}
              promptName={prompt.name}
              productionNumber={production?.version.number ?? null}
              renderTargets={renderTargets(selected, prompt)}
              editReason={prompt.viewerCanEdit ? null : `Creating versions needs the EDITOR role or above (${roleText(me.role)}).`}
            />
          )}
        </aside>
      </div>

      <ABTestsSection promptName={prompt.name} />

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Label history</h2>
        {prompt.labelHistory.length === 0 ? (
          <p className="muted">No label has moved yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="history">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Move</th>
                  <th scope="col">Who</th>
                  <th scope="col">When</th>
                  <th scope="col">Why</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {prompt.labelHistory.map((m, i) => {
                  const label = prompt.labels.find((l) => l.name === m.label) ?? { protected: m.label === 'production' };
                  const current = prompt.labels.find((l) => l.name === m.label)?.version.id;
                  const why = cannotMoveLabel(prompt, label, me.role) ?? cannotMoveUnderTest(m.label, runningTestOn(prompt.abTests, m.label));
                  const revertable = !!m.fromVersion && m.fromVersion.id !== current;
                  return (
                    <tr key={m.id} data-testid="history-row">
                      <td>{m.label}</td>
                      <td>
                        {m.fromVersion ? `v${m.fromVersion.number}` : 'new'} → {m.toVersion ? `v${m.toVersion.number}` : 'removed'}
                      </td>
                      <td>{m.actor.name}</td>
                      <td>
                        <time dateTime={m.at} title={formatDateTime(m.at)}>
                          {formatAgo(m.at)}
                        </time>
                      </td>
                      <td>{m.reason ?? <span className="muted">—</span>}</td>
                      <td className="row-actions">
                        {revertable && (
                          <>
                            <button
                              className="btn small"
                              disabled={!!why}
                              aria-describedby={why ? `revert-why-${i}` : undefined}
                              title={why ?? undefined}
                              onClick={() => void revert(m)}
                            >
                              Revert this move
                            </button>
                            {why && (
                              <span id={`revert-why-${i}`} className="sr-only">
                                {why}
                              </span>
                            )}
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {deploying && (
        <DeployDialog
          prompt={prompt}
          target={deploying}
          production={production ? (prompt.versions.find((v) => v.id === production.version.id) ?? null) : null}
          onClose={() => setDeploying(null)}
          // Deployed, the opener turns into "in production": focus goes to that version's entry instead.
          finalFocus={() => (deployed.current ? document.querySelector<HTMLElement>(`[data-testid="version-${deployed.current}"] .version-link`) : null)}
          onDone={(n) => {
            deployed.current = n;
            setDeploying(null);
            notify(`${prompt.name}: production → v${n}`);
          }}
          onConflict={refetch}
        />
      )}
    </div>
  );
}

function VersionDetails({
  version,
  promptName,
  productionNumber,
  renderTargets,
  editReason,
}: {
  version: PageVersion;
  promptName: string;
  productionNumber: number | null;
  renderTargets: RenderTarget[];
  editReason: string | null;
}) {
  const compareFrom = productionNumber && productionNumber !== version.number ? productionNumber : version.number > 1 ? version.number - 1 : null;
  return (
    <section className="card" aria-labelledby="details-title" data-testid="version-details">
      <div className="details-head">
        <h2 id="details-title">v{version.number}</h2>
        <div className="details-actions">
          {compareFrom && (
            <Link href={`/compare/${promptName}?from=${compareFrom}&to=${version.number}`} className="btn small">
              Compare with v{compareFrom}
            </Link>
          )}
          {editReason ? (
            <button className="btn small" disabled aria-describedby="new-version-why">
              New version from v{version.number}
            </button>
          ) : (
            <Link href={`/new-version/${promptName}?from=${version.number}`} className="btn small primary">
              New version from v{version.number}
            </Link>
          )}
        </div>
      </div>
      <Reason id="new-version-why" text={editReason} />
      <dl className="facts">
        <dt>Model</dt>
        <dd>{version.model}</dd>
        <dt>Temperature</dt>
        <dd>{version.temperature}</dd>
        <dt>Max tokens</dt>
        <dd>{version.maxTokens}</dd>
        <dt>Variables</dt>
        <dd>{version.variables.length ? version.variables.map((v) => `${v.name}${v.required ? '' : '?'}: ${v.type}`).join(', ') : 'none'}</dd>
      </dl>
      {version.systemMessage && (
        <>
          <h3 className="small-title">System message</h3>
          <pre className="template">{version.systemMessage}</pre>
        </>
      )}
      {version.template !== null && version.template !== undefined && (
        <>
          <h3 className="small-title">Template</h3>
          <pre className="template">{version.template}</pre>
        </>
      )}
      {version.messages?.map((m, i) => (
        <div key={i}>
          <h3 className="small-title">{m.role}</h3>
          <pre className="template">{m.content}</pre>
        </div>
      ))}
      {version.warnings.length > 0 && (
        <ul className="warnings">
          {version.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <TestPanel key={version.id} targets={renderTargets} />
    </section>
  );
}

/** What the test panel can render: the version shown, then each label by the version it points at now (those among the versions loaded). */
function renderTargets(version: PageVersion, prompt: PagePrompt): RenderTarget[] {
  const targets: RenderTarget[] = [{ key: 'version', text: `this version, v${version.number}`, versionId: version.id, variables: version.variables }];
  for (const label of prompt.labels) {
    const at = prompt.versions.find((v) => v.id === label.version.id);
    if (at) targets.push({ key: `label:${label.name}`, text: `${label.name} → v${at.number}`, versionId: at.id, variables: at.variables });
  }
  return targets;
}
