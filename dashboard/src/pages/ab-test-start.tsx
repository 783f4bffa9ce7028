/**
 * "Start A/B test" for one prompt (`/ui/ab-tests/new/<name>`): the label whose traffic is split, the
 * variants (control first) with their weights, the metric, the minimum sample per variant and
 * auto-promotion. The server validates; its errors are shown at the field they name (extensions.field).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useLocation, useParams } from 'wouter';
import { StartABTestFormQuery, StartABTestMutation } from '../api/ab-tests';
import { NotThere, queryState } from '../components/query-state';
import { Reason } from '../components/reason';
import type { StartAbTestFormQuery } from '../gql/graphql';
import { METRIC_HELP, METRIC_NAMES, variantName, type Metric } from '../lib/ab-wording';
import { explainError } from '../lib/errors';
import { cannotManageTests } from '../lib/permissions';
import { useWorkspace } from '../workspace';

type FormPrompt = NonNullable<StartAbTestFormQuery['prompt']>;
type Row = { versionId: string; weight: string };

const METRICS: Metric[] = ['SUCCESS_RATE', 'QUALITY_SCORE', 'LATENCY', 'COST'];
const MAX_VARIANTS = 10;

export default function StartABTestPage() {
  const params = useParams<{ '*': string }>();
  const name = decodeURIComponent(params['*'] ?? '');
  const [result, refetch] = useQuery({ query: StartABTestFormQuery, variables: { name } });
  const waiting = queryState(result, { what: name, title: 'Start A/B test', retry: () => refetch({ requestPolicy: 'network-only' }) });
  if (waiting) return waiting;
  const prompt = result.data?.prompt;
  if (!prompt) return <NotThere title={`No prompt “${name}”`}>There is no prompt of this name in this workspace, so there is nothing to test.</NotThere>;
  return <StartForm prompt={prompt} />;
}

/** A server message shown at its field: without the field path it starts with (the field is right there). */
function fieldMessage(message: string): string {
  return message.replace(/^"[^"]+" must/, 'Must');
}

/** Splits 100 evenly over n rows, the remainder to the first rows (n=3: 34/33/33). */
function evenWeights(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(Math.floor(100 / n) + (i < 100 % n ? 1 : 0)));
}

function StartForm({ prompt }: { prompt: FormPrompt }) {
  const { me } = useWorkspace();
  const [, navigate] = useLocation();
  const labels = prompt.labels.filter((l) => l.name !== 'latest');
  const [label, setLabel] = useState(labels.find((l) => l.name === 'production')?.name ?? labels[0]?.name ?? 'production');
  const onLabel = labels.find((l) => l.name === label)?.version ?? null;
  // The defaults (production's version as the control, the newest other one as the treatment) are
  // picked once: changing the label later leaves the person's choice alone.
  const [rows, setRows] = useState<Row[]>(() => {
    const control = onLabel?.id ?? prompt.versions[prompt.versions.length - 1]?.id ?? '';
    const treatment = prompt.versions.find((v) => v.id !== control)?.id ?? '';
    return [
      { versionId: control, weight: '50' },
      { versionId: treatment, weight: '50' },
    ];
  });
  const [metric, setMetric] = useState<Metric>('SUCCESS_RATE');
  const [minSample, setMinSample] = useState('100');
  const [autoPromote, setAutoPromote] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ text: string; testId?: string } | null>(null);
  const [state, start] = useMutation(StartABTestMutation);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusError, setFocusError] = useState(0);
  const why = cannotManageTests(prompt, me.role) ?? (prompt.archivedAt ? 'This prompt is archived: it serves no traffic to test.' : null);
  const sum = rows.reduce((s, r) => s + (Number(r.weight) || 0), 0);

  const setRow = (i: number, patch: Partial<Row>) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setFieldErrors({});
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFieldErrors({});
    setFormError(null);
    const local: Record<string, string> = {};
    rows.forEach((r, i) => {
      if (!/^\d+$/.test(r.weight.trim())) local[`input.variants.${i}.weight`] = 'Enter a whole percentage, e.g. 50.';
    });
    if (!/^\d+$/.test(minSample.trim())) local['input.minSampleSize'] = 'Enter a whole number of calls, e.g. 100.';
    if (Object.keys(local).length) return showFieldErrors(local);
    const r = await start({
      input: {
        promptName: prompt.name,
        label,
        variants: rows.map((row) => ({ versionId: row.versionId, weight: Number(row.weight) })),
        metric,
        minSampleSize: Number(minSample),
        autoPromote,
        expectedRevision: prompt.revision,
      },
    });
    if (!r.error && r.data) return navigate(`/ab-tests/${r.data.startABTest.id}`);
    const first = r.error?.graphQLErrors[0];
    const field = first?.extensions?.field as string | undefined;
    const code = first?.extensions?.code;
    if (field && field !== 'input' && code === 'BAD_USER_INPUT') return showFieldErrors({ [field]: fieldMessage(first!.message) });
    if (code === 'CONFLICT' && first?.extensions?.abTestId)
      return setFormError({ text: `${first.message} Open the running test to ramp, stop or promote it.`, testId: String(first.extensions.abTestId) });
    setFormError({ text: explainError(r.error) ?? 'The test could not be started.' });
  }

  function showFieldErrors(errors: Record<string, string>) {
    setFieldErrors(errors);
    setFocusError((n) => n + 1);
  }
  // After the errors render, the focus moves to the first field in error (keyboard and screen-reader
  // users land on it). An effect, not requestAnimationFrame: frames do not run in a hidden tab.
  useEffect(() => {
    if (focusError) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

  const err = (field: string) => fieldErrors[field];
  const invalid = (field: string) => (err(field) ? { 'aria-invalid': true as const, 'aria-describedby': `${field}-error`.replace(/\./g, '-') } : {});
  const errorText = (field: string) =>
    err(field) ? (
      <span id={`${field}-error`.replace(/\./g, '-')} className="error small field-error" data-testid="field-error">
        {err(field)}
      </span>
    ) : null;

  return (
    <div className="ab-start">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href="/">Prompts</Link> / <Link href={`/prompts/${prompt.name}`}>{prompt.name}</Link>
      </nav>
      <h1>Start A/B test</h1>
      <p className="muted">
        Split the live traffic of a label of <strong>{prompt.name}</strong> between versions. Each request id always gets the same variant; the results page
        shows which one is better as calls come in.
      </p>
      <Reason id="start-why" text={why} />
      <form ref={formRef} className="card ab-form" onSubmit={(e) => void submit(e)} noValidate aria-describedby={why ? 'start-why' : undefined}>
        <label className="field">
          <span>Label whose traffic is split</span>
          <select value={label} onChange={(e) => setLabel(e.target.value)} {...invalid('input.label')}>
            {labels.map((l) => (
              <option key={l.name} value={l.name}>
                {l.name} (serves v{l.version.number})
              </option>
            ))}
          </select>
          {errorText('input.label')}
        </label>

        <fieldset className="variants-set" aria-describedby={err('input.variants') ? 'input-variants-error' : 'variants-help'}>
          <legend>Versions and traffic split</legend>
          <p className="muted small" id="variants-help">
            The first is the control (what runs now); weights are percentages and add up to 100.
          </p>
          {rows.map((row, i) => {
            const vField = `input.variants.${i}.versionId`;
            const wField = `input.variants.${i}.weight`;
            const key = String.fromCharCode(65 + i);
            const name = variantName(key, rows.length);
            const title = name.endsWith(key) ? name : `${name} (${key})`;
            return (
              <div className="variant-row" key={i} data-testid={`variant-row-${i}`}>
                <label className="field">
                  <span>{title} version</span>
                  <select value={row.versionId} onChange={(e) => setRow(i, { versionId: e.target.value })} {...invalid(vField)}>
                    {prompt.versions.map((v) => (
                      <option key={v.id} value={v.id}>
                        v{v.number}
                        {v.id === onLabel?.id ? ` (on ${label})` : ''}
                        {v.message ? ` — ${v.message}` : ''}
                      </option>
                    ))}
                  </select>
                  {errorText(vField)}
                </label>
                <label className="field weight">
                  <span>{title} traffic %</span>
                  <input inputMode="numeric" value={row.weight} onChange={(e) => setRow(i, { weight: e.target.value })} {...invalid(wField)} />
                  {errorText(wField)}
                </label>
                {rows.length > 2 && (
                  <button
                    type="button"
                    className="btn small ghost remove-variant"
                    aria-label={`Remove variant ${String.fromCharCode(65 + i)}`}
                    onClick={() => {
                      setRows((rs) => rs.filter((_, j) => j !== i));
                      setFieldErrors({});
                    }}
                  >
                    Remove
                  </button>
                )}
              </div>
            );
          })}
          <div className="variant-tools">
            <span className={sum === 100 ? 'muted small' : 'warn-text small'} aria-live="polite">
              Weights add up to {sum}
              {sum === 100 ? '.' : ' (they must add up to 100).'}
            </span>
            <span className="spacer" />
            <button type="button" className="btn small" onClick={() => setRows((rs) => rs.map((r, i) => ({ ...r, weight: evenWeights(rs.length)[i]! })))}>
              Split evenly
            </button>
            <button
              type="button"
              className="btn small"
              disabled={rows.length >= MAX_VARIANTS || rows.length >= prompt.versions.length}
              onClick={() => {
                const used = new Set(rows.map((r) => r.versionId));
                const next = prompt.versions.find((v) => !used.has(v.id))?.id ?? '';
                // A new variant starts with an even share (the server wants 1–100 for each at the start).
                setRows((rs) => {
                  const even = evenWeights(rs.length + 1);
                  return [...rs, { versionId: next, weight: '' }].map((r, i) => ({ ...r, weight: even[i]! }));
                });
              }}
            >
              Add variant
            </button>
          </div>
          {errorText('input.variants')}
        </fieldset>

        <div className="two">
          <label className="field">
            <span>Metric that decides</span>
            <select
              value={metric}
              onChange={(e) => setMetric(e.target.value as Metric)}
              {...invalid('input.metric')}
              aria-describedby={err('input.metric') ? 'input-metric-error metric-help' : 'metric-help'}
            >
              {METRICS.map((m) => (
                <option key={m} value={m}>
                  {METRIC_NAMES[m][0]!.toUpperCase() + METRIC_NAMES[m].slice(1)}
                </option>
              ))}
            </select>
            <span id="metric-help" className="muted small">
              {METRIC_HELP[metric]}
            </span>
            {errorText('input.metric')}
          </label>
          <label className="field">
            <span>Minimum calls per variant</span>
            <input
              inputMode="numeric"
              value={minSample}
              onChange={(e) => {
                setMinSample(e.target.value);
                setFieldErrors({});
              }}
              {...invalid('input.minSampleSize')}
            />
            {errorText('input.minSampleSize')}
          </label>
        </div>
        <label className="toggle auto-promote">
          <input type="checkbox" checked={autoPromote} onChange={(e) => setAutoPromote(e.target.checked)} />
          <span>
            Promote the winner automatically: when a variant is better with confidence, <strong>{label}</strong> moves to it and the test ends.
          </span>
        </label>
        {formError && (
          <p className="error banner" role="alert">
            {formError.text} {formError.testId && <Link href={`/ab-tests/${formError.testId}`}>Open the running test</Link>}
          </p>
        )}
        <div className="dialog-actions">
          <Link href={`/prompts/${prompt.name}`} className="btn">
            Cancel
          </Link>
          <button type="submit" className="btn primary" disabled={!!why || state.fetching}>
            {state.fetching ? 'Starting…' : 'Start A/B test'}
          </button>
        </div>
      </form>
    </div>
  );
}
