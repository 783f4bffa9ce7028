/**
 * Try a version or a label: a form generated from the variable declarations of what is chosen (the
 * version shown, or the version a label such as production points at now), or raw JSON, rendered by
 * the server (renderVersion), showing which version it rendered, the text or the messages and the
 * warnings; a bad value is named.
 */
import { useState, type FormEvent } from 'react';
import { useClient } from 'urql';
import { RenderQuery } from '../api/documents';
import type { RenderVersionQuery } from '../gql/graphql';
import { explainError } from '../lib/errors';

type Variable = { name: string; type: string; values?: readonly string[] | null; required: boolean; description?: string | null };

function coerce(v: Variable, raw: string | boolean): unknown {
  if (v.type === 'BOOLEAN') return raw === true;
  const s = String(raw);
  if (v.type === 'NUMBER') return s.trim() === '' ? undefined : Number(s);
  if (v.type === 'JSON') {
    if (s.trim() === '') return undefined;
    try {
      return JSON.parse(s);
    } catch {
      return s; // the server names the variable and says what it expects
    }
  }
  return s === '' && !v.required ? undefined : s;
}

/** Something to render: a version, or a label by the version it points at. */
export type RenderTarget = { key: string; text: string; versionId: string; variables: readonly Variable[] };

export function TestPanel({ targets }: { targets: readonly RenderTarget[] }) {
  const client = useClient();
  const [targetKey, setTargetKey] = useState(targets[0]?.key ?? '');
  // A label that went away (removed live) falls back to the version shown.
  const target = targets.find((t) => t.key === targetKey) ?? targets[0];
  const variables = target?.variables ?? [];
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [raw, setRaw] = useState(false);
  const [rawText, setRawText] = useState('{}');
  const [out, setOut] = useState<(RenderVersionQuery['renderVersion'] & { target: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(e: FormEvent) {
    e.preventDefault();
    setError(null);
    let vars: Record<string, unknown>;
    if (raw) {
      try {
        vars = JSON.parse(rawText) as Record<string, unknown>;
      } catch {
        return setError('The variables are not valid JSON.');
      }
    } else {
      vars = {};
      for (const v of variables) {
        const value = coerce(v, values[v.name] ?? (v.type === 'BOOLEAN' ? false : ''));
        if (value !== undefined) vars[v.name] = value;
      }
    }
    if (!target) return;
    setBusy(true);
    const r = await client.query(RenderQuery, { versionId: target.versionId, variables: vars }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    if (r.data) setOut({ ...r.data.renderVersion, target: target.text });
    else {
      setOut(null);
      setError(explainError(r.error));
    }
  }

  return (
    <form className="test-panel" onSubmit={(e) => void run(e)} aria-label="Test this version">
      <div className="test-head">
        <h3 className="small-title">Test</h3>
        <label className="toggle small">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} />
          <span>Raw JSON</span>
        </label>
      </div>
      {targets.length > 1 && (
        <label className="field">
          <span>Render</span>
          <select
            value={target?.key}
            onChange={(e) => {
              setTargetKey(e.target.value);
              setOut(null);
              setError(null);
            }}
          >
            {targets.map((t) => (
              <option key={t.key} value={t.key}>
                {t.text}
              </option>
            ))}
          </select>
        </label>
      )}
      {raw ? (
        <label className="field">
          <span>Variables (JSON)</span>
          <textarea rows={4} className="mono" value={rawText} onChange={(e) => setRawText(e.target.value)} />
        </label>
      ) : (
        variables.map((v) => (
          <label key={v.name} className={v.type === 'BOOLEAN' ? 'toggle' : 'field'}>
            {v.type === 'BOOLEAN' ? (
              <>
                <input type="checkbox" checked={values[v.name] === true} onChange={(e) => setValues({ ...values, [v.name]: e.target.checked })} />
                <span>{v.name}</span>
              </>
            ) : (
              <>
                <span>
                  {v.name}
                  {v.required ? '' : ' (optional)'} <span className="muted small">{v.type}</span>
                </span>
                {v.type === 'ENUM' ? (
                  <select value={String(values[v.name] ?? '')} onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}>
                    <option value="">—</option>
                    {(v.values ?? []).map((x) => (
                      <option key={x}>{x}</option>
                    ))}
                  </select>
                ) : v.type === 'JSON' ? (
                  <textarea
                    rows={2}
                    className="mono"
                    value={String(values[v.name] ?? '')}
                    onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}
                  />
                ) : (
                  <input
                    type={v.type === 'NUMBER' ? 'number' : 'text'}
                    value={String(values[v.name] ?? '')}
                    onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}
                  />
                )}
                {v.description && <span className="muted small">{v.description}</span>}
              </>
            )}
          </label>
        ))
      )}
      <button className="btn primary small" type="submit" disabled={busy}>
        {busy ? 'Rendering…' : 'Render'}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {out && (
        <div className="render-out" data-testid="render-output">
          <p className="muted small" data-testid="rendered-what">
            Rendered v{out.versionNumber} ({out.target})
          </p>
          {out.systemMessage && (
            <>
              <h4 className="small-title">System</h4>
              <pre className="template">{out.systemMessage}</pre>
            </>
          )}
          {out.text !== null && out.text !== undefined && <pre className="template">{out.text}</pre>}
          {out.messages?.map((m, i) => (
            <div key={i}>
              <h4 className="small-title">{m.role}</h4>
              <pre className="template">{m.content}</pre>
            </div>
          ))}
          {out.warnings.length > 0 && (
            <ul className="warnings">
              {out.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
