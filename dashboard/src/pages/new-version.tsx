/**
 * A new version of a prompt, based on one of its versions (`?from=N`, default the newest): template or
 * chat messages in CodeMirror with the server's validateTemplate errors inline (debounced as you type),
 * the variables panel, model settings, then a required "Review changes" step (the diff against the base
 * and the contract changes) before createVersion.
 */
import { useEffect, useMemo, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { Link, useLocation, useParams, useSearch } from 'wouter';
import { CreateVersionMutation, EditorQuery, ValidateQuery } from '../api/documents';
import { useNotify } from '../components/notices';
import { NotThere, queryState } from '../components/query-state';
import { Reason } from '../components/reason';
import { TemplateEditor, type EditorDiagnostic } from '../components/template-editor';
import { TextDiff } from '../components/text-diff';
import type { ChatRole, EditorBaseQuery, ValidateDraftQuery, VariableType } from '../gql/graphql';
import { diffableText, toVariableDraft, toVariableInput, type Message, type VariableDraft } from '../lib/draft';
import { explainError } from '../lib/errors';
import { roleText } from '../lib/permissions';
import { useDebounced } from '../lib/use-debounced';
import { useWorkspace } from '../workspace';

type Validation = ValidateDraftQuery['validateTemplate'];
const TYPES: VariableType[] = ['STRING', 'NUMBER', 'BOOLEAN', 'JSON', 'ENUM'];
const ROLES: ChatRole[] = ['SYSTEM', 'USER', 'ASSISTANT', 'PLACEHOLDER'];

export default function NewVersionPage() {
  const params = useParams<{ '*': string }>();
  const name = decodeURIComponent(params['*'] ?? '');
  const [result, refetch] = useQuery({ query: EditorQuery, variables: { name }, requestPolicy: 'network-only' });
  const from = Number(new URLSearchParams(useSearch()).get('from')) || null;
  const waiting = queryState(result, { what: name, title: 'New version', retry: () => refetch({ requestPolicy: 'network-only' }) });
  if (waiting) return waiting;
  const prompt = result.data?.prompt;
  if (!prompt)
    return <NotThere title={`No prompt “${name}”`}>There is no prompt of this name in this workspace, so there is nothing to add a version to.</NotThere>;
  const base = prompt.versions.find((v) => v.number === from) ?? prompt.versions[0] ?? null;
  return (
    <Editor
      key={base?.id ?? 'none'}
      prompt={prompt}
      base={base}
      includable={(result.data?.includable.edges ?? []).map((e) => e.node.name).filter((n) => n !== prompt.name)}
    />
  );
}

type Prompt = NonNullable<EditorBaseQuery['prompt']>;
type Base = Prompt['versions'][number];

function Editor({ prompt, base, includable }: { prompt: Prompt; base: Base | null; includable: string[] }) {
  const { me } = useWorkspace();
  const client = useClient();
  const notify = useNotify();
  const [, navigate] = useLocation();
  const [type] = useState(base?.type ?? 'TEXT');
  const [template, setTemplate] = useState(base?.template ?? '');
  const [systemMessage, setSystemMessage] = useState(base?.systemMessage ?? '');
  const [messages, setMessages] = useState<Message[]>(base?.messages?.map((m) => ({ ...m })) ?? []);
  const [variables, setVariables] = useState<VariableDraft[]>(base?.variables.map(toVariableDraft) ?? []);
  const [model, setModel] = useState(base?.model ?? '');
  const [temperature, setTemperature] = useState(String(base?.temperature ?? 0.7));
  const [maxTokens, setMaxTokens] = useState(String(base?.maxTokens ?? 1000));
  const [configText, setConfigText] = useState(base?.config ? JSON.stringify(base.config, null, 2) : '');
  const [message, setMessage] = useState('');
  const [step, setStep] = useState<'edit' | 'review'>('edit');
  const [validation, setValidation] = useState<Validation | null>(null);
  const [validating, setValidating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, create] = useMutation(CreateVersionMutation);

  const draftInput = useMemo(
    () => ({
      ...(type === 'CHAT' ? { messages } : { template, systemMessage: systemMessage || null }),
      variables: variables.length ? variables.map(toVariableInput) : null,
    }),
    [type, messages, template, systemMessage, variables],
  );
  const settled = useDebounced(draftInput, 350);
  useEffect(() => {
    let cancelled = false;
    setValidating(true);
    void client
      .query(ValidateQuery, { ...settled, basedOnVersionId: base?.id ?? null }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((r) => {
        if (cancelled) return;
        setValidating(false);
        if (r.data) setValidation(r.data.validateTemplate);
        else
          setValidation({
            valid: false,
            errors: [{ message: explainError(r.error) ?? 'Validation failed.', line: null, column: null, field: null }],
            warnings: [],
            variables: [],
            contractChanges: [],
          });
      });
    return () => {
      cancelled = true;
    };
  }, [client, settled, base?.id]);

  const errorsOf = (field: string): EditorDiagnostic[] =>
    (validation?.errors ?? []).filter((e) => e.field === field && e.line).map((e) => ({ line: e.line!, column: e.column ?? 1, message: e.message }));
  const names = (variables.length ? variables.map((v) => v.name) : (validation?.variables ?? []).map((v) => v.name)).filter(Boolean);
  const configError = (() => {
    if (!configText.trim()) return null;
    try {
      const c: unknown = JSON.parse(configText);
      return c && typeof c === 'object' && !Array.isArray(c) ? null : 'Config must be a JSON object.';
    } catch {
      return 'Config is not valid JSON.';
    }
  })();
  const upToDate = settled === draftInput && !validating;
  const canReview = upToDate && !!validation?.valid && !configError;
  const editReason = prompt.viewerCanEdit ? null : `Creating versions needs the EDITOR role or above (${roleText(me.role)}).`;
  const nextNumber = (prompt.versions[0]?.number ?? 0) + 1;

  const draftText = diffableText({ type, template, systemMessage, messages });
  const settingChanges = base
    ? [
        ['model', base.model, model],
        ['temperature', String(base.temperature), temperature],
        ['maxTokens', String(base.maxTokens), maxTokens],
        ['config', base.config ? JSON.stringify(base.config) : '', configText.trim() ? JSON.stringify(JSON.parse(configError ? '{}' : configText)) : ''],
      ].filter(([, a, b]) => a !== b)
    : [];

  async function submit() {
    setCreateError(null);
    const r = await create({
      input: {
        promptName: prompt.name,
        ...draftInput,
        model: model || null,
        temperature: Number(temperature),
        maxTokens: Number(maxTokens),
        config: configText.trim() ? JSON.parse(configText) : null,
        message: message.trim() || null,
        expectedRevision: prompt.revision,
      },
    });
    if (r.error || !r.data) return setCreateError(explainError(r.error));
    notify(`${prompt.name}: v${r.data.createVersion.number} created`);
    navigate(`/prompts/${prompt.name}?v=${r.data.createVersion.number}`);
  }

  const freeErrors = (validation?.errors ?? []).filter(
    (e) => !e.line || !['template', 'systemMessage'].includes(e.field ?? '') || e.field?.startsWith('variables'),
  );

  return (
    <div className="editor-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href="/">Prompts</Link> / <Link href={`/prompts/${prompt.name}`}>{prompt.name}</Link>
      </nav>
      <h1>
        New version of {prompt.name} {base && <span className="muted">(based on v{base.number})</span>}
      </h1>
      <Reason id="edit-why" text={editReason} />
      <ol className="steps" aria-label="Steps">
        <li className={step === 'edit' ? 'active' : ''} aria-current={step === 'edit' ? 'step' : undefined}>
          1. Edit
        </li>
        <li className={step === 'review' ? 'active' : ''} aria-current={step === 'review' ? 'step' : undefined}>
          2. Review changes
        </li>
      </ol>

      {step === 'edit' && (
        <div className="editor-grid">
          <section className="card" aria-labelledby="content-title">
            <h2 id="content-title">{type === 'CHAT' ? 'Messages' : 'Template'}</h2>
            {type === 'TEXT' ? (
              <>
                <h3 className="small-title">System message (optional)</h3>
                <TemplateEditor
                  value={systemMessage}
                  onChange={setSystemMessage}
                  label="System message"
                  diagnostics={errorsOf('systemMessage')}
                  variables={names}
                  promptNames={includable}
                />
                <h3 className="small-title">Template</h3>
                <TemplateEditor
                  value={template}
                  onChange={setTemplate}
                  label="Template"
                  testId="template-editor"
                  diagnostics={errorsOf('template')}
                  variables={names}
                  promptNames={includable}
                />
              </>
            ) : (
              <>
                {messages.map((m, i) => (
                  <div key={i} className="message-row">
                    <div className="message-head">
                      <select
                        aria-label={`Role of message ${i + 1}`}
                        value={m.role}
                        onChange={(e) => setMessages(messages.map((x, j) => (j === i ? { ...x, role: e.target.value as ChatRole } : x)))}
                      >
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                      <button
                        className="btn small ghost"
                        onClick={() => setMessages(messages.filter((_, j) => j !== i))}
                        aria-label={`Remove message ${i + 1}`}
                      >
                        Remove
                      </button>
                    </div>
                    {m.role === 'PLACEHOLDER' ? (
                      <input
                        aria-label={`Placeholder variable of message ${i + 1}`}
                        value={m.content}
                        placeholder="JSON variable holding a list of messages"
                        onChange={(e) => setMessages(messages.map((x, j) => (j === i ? { ...x, content: e.target.value } : x)))}
                      />
                    ) : (
                      <TemplateEditor
                        value={m.content}
                        onChange={(c) => setMessages((all) => all.map((x, j) => (j === i ? { ...x, content: c } : x)))}
                        label={`Message ${i + 1}`}
                        diagnostics={errorsOf(`messages.${i}.content`)}
                        variables={names}
                        promptNames={includable}
                      />
                    )}
                  </div>
                ))}
                <button className="btn small" onClick={() => setMessages([...messages, { role: 'USER', content: '' }])}>
                  Add message
                </button>
              </>
            )}
            <div className="validation" aria-live="polite" data-testid="validation">
              {!upToDate ? (
                <span className="muted">Checking…</span>
              ) : validation?.valid ? (
                <span className="ok-text">✓ Valid</span>
              ) : (
                <span className="error">{validation?.errors.length ?? 0} problem(s)</span>
              )}
              {validation && (freeErrors.length > 0 || validation.errors.length > 0) && (
                <ul className="problems">
                  {validation.errors.map((e, i) => (
                    <li key={i} className="error">
                      {e.field ? `${e.field}${e.line ? ` ${e.line}:${e.column}` : ''}: ` : ''}
                      {e.message}
                    </li>
                  ))}
                </ul>
              )}
              {validation && validation.warnings.length > 0 && (
                <ul className="warnings">
                  {validation.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              )}
            </div>
          </section>

          <aside className="side">
            <VariablesPanel variables={variables} onChange={setVariables} inferred={validation?.variables ?? []} />
            <section className="card" aria-labelledby="settings-title">
              <h2 id="settings-title">Model settings</h2>
              <label className="field">
                <span>Model</span>
                <input value={model} onChange={(e) => setModel(e.target.value)} />
              </label>
              <div className="two">
                <label className="field">
                  <span>Temperature</span>
                  <input type="number" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(e.target.value)} />
                </label>
                <label className="field">
                  <span>Max tokens</span>
                  <input type="number" min={1} value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
                </label>
              </div>
              <label className="field">
                <span>Config (JSON object, optional)</span>
                <textarea rows={3} value={configText} onChange={(e) => setConfigText(e.target.value)} className="mono" />
              </label>
              {configError && <p className="error">{configError}</p>}
            </section>
          </aside>
          <div className="editor-actions">
            <Link href={`/prompts/${prompt.name}`} className="btn">
              Cancel
            </Link>
            <button className="btn primary" disabled={!canReview || !!editReason} onClick={() => setStep('review')}>
              Review changes
            </button>
          </div>
        </div>
      )}

      {step === 'review' && (
        <section className="card" aria-labelledby="review-title">
          <h2 id="review-title">Review changes {base ? `against v${base.number}` : ''}</h2>
          {base ? (
            <TextDiff before={diffableText(base)} after={draftText} beforeLabel={`v${base.number}`} afterLabel={`v${nextNumber} (new)`} />
          ) : (
            <pre className="template">{draftText}</pre>
          )}
          {settingChanges.length > 0 && (
            <table className="changes" data-testid="setting-changes">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {settingChanges.map(([f, a, b]) => (
                  <tr key={f}>
                    <th scope="row">{f}</th>
                    <td>
                      <code>{a || '—'}</code>
                    </td>
                    <td>
                      <code>{b || '—'}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3 className="small-title">Contract changes</h3>
          {validation?.contractChanges.length ? (
            <ul className="contract" data-testid="contract-changes">
              {validation.contractChanges.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          ) : (
            <p className="muted" data-testid="contract-changes">
              None: callers pass the same variables as before.
            </p>
          )}
          <label className="field">
            <span>What changed (the version's message)</span>
            <input value={message} onChange={(e) => setMessage(e.target.value)} placeholder="e.g. shorter answers" />
          </label>
          {createError && (
            <p className="error" role="alert">
              {createError}
            </p>
          )}
          <div className="dialog-actions">
            <button className="btn" onClick={() => setStep('edit')}>
              Back to editing
            </button>
            <button className="btn primary" disabled={created.fetching || !!editReason} onClick={() => void submit()}>
              {created.fetching ? 'Creating…' : `Create v${nextNumber}`}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}

function VariablesPanel({
  variables,
  onChange,
  inferred,
}: {
  variables: VariableDraft[];
  onChange: (v: VariableDraft[]) => void;
  inferred: Validation['variables'];
}) {
  const set = (i: number, patch: Partial<VariableDraft>) => onChange(variables.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  return (
    <section className="card" aria-labelledby="vars-title">
      <h2 id="vars-title">Variables</h2>
      {variables.length === 0 && (
        <p className="muted small">
          None declared: the server infers them from the template ({inferred.map((v) => v.name).join(', ') || 'none yet'}).{' '}
          {inferred.length > 0 && (
            <button className="btn small" onClick={() => onChange(inferred.map(toVariableDraft))}>
              Declare these
            </button>
          )}
        </p>
      )}
      {variables.map((v, i) => (
        <fieldset key={i} className="variable" data-testid={`variable-${i}`}>
          <legend className="sr-only">Variable {i + 1}</legend>
          <div className="two">
            <label className="field">
              <span>Name</span>
              <input value={v.name} onChange={(e) => set(i, { name: e.target.value })} />
            </label>
            <label className="field">
              <span>Type</span>
              <select value={v.type} onChange={(e) => set(i, { type: e.target.value as VariableType })}>
                {TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
          </div>
          {v.type === 'ENUM' && (
            <label className="field">
              <span>Values (comma-separated)</span>
              <input value={v.values} onChange={(e) => set(i, { values: e.target.value })} />
            </label>
          )}
          <div className="two">
            <label className="field">
              <span>Default (JSON)</span>
              <input value={v.defaultText} onChange={(e) => set(i, { defaultText: e.target.value })} />
            </label>
            <label className="toggle">
              <input type="checkbox" checked={v.required} onChange={(e) => set(i, { required: e.target.checked })} />
              <span>Required</span>
            </label>
          </div>
          <label className="field">
            <span>Description</span>
            <input value={v.description} onChange={(e) => set(i, { description: e.target.value })} />
          </label>
          <button className="btn small ghost" onClick={() => onChange(variables.filter((_, j) => j !== i))}>
            Remove {v.name || 'variable'}
          </button>
        </fieldset>
      ))}
      <button
        className="btn small"
        onClick={() => onChange([...variables, { name: '', type: 'STRING', values: '', required: true, defaultText: '', description: '' }])}
      >
        Add variable
      </button>
    </section>
  );
}
