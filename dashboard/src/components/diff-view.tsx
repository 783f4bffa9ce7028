/** A unified diff (as `versionDiff.templateDiff` gives it), lines marked added/removed, and the other changed fields as a table. */

export function UnifiedDiff({ diff }: { diff: string }) {
  const lines = diff.split('\n').filter((l) => !l.startsWith('Index:') && !l.startsWith('====') && !l.startsWith('---') && !l.startsWith('+++'));
  const body = lines.filter((l) => l.length > 0 && !l.startsWith('\\'));
  if (!body.some((l) => (l.startsWith('+') || l.startsWith('-')) && !l.startsWith('\\'))) return <p className="muted">The template text is the same.</p>;
  return (
    <pre className="diff" aria-label="Template diff" data-testid="template-diff">
      {body.map((l, i) => {
        const kind = l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx';
        return (
          <span key={i} className={`diff-line ${kind}`}>
            <span className="sr-only">{kind === 'add' ? 'added: ' : kind === 'del' ? 'removed: ' : ''}</span>
            {l}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function FieldChanges({ changes }: { changes: readonly { field: string; from?: unknown; to?: unknown }[] }) {
  if (changes.length === 0) return null;
  return (
    <table className="changes" data-testid="field-changes">
      <caption className="sr-only">Other changed fields</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <th scope="row">{c.field}</th>
            <td>
              <code>{show(c.from)}</code>
            </td>
            <td>
              <code>{show(c.to)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
