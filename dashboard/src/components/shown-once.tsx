/**
 * A secret (an API key, an invitation or reset link) shown this one time: read-only, a copy button
 * (the clipboard API; where it is refused, the text is selected for Ctrl+C), and the warning that it
 * will not be shown again. The parent drops the value when this closes, so it is then nowhere on the page.
 */
import { useRef, useState } from 'react';

export function ShownOnce({ label, value, warning, testId }: { label: string; value: string; warning: string; testId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'no' | 'yes' | 'select'>('no');
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      input.current?.focus();
      input.current?.select();
      setCopied('select');
    }
  }
  return (
    <div className="shown-once" data-testid={testId}>
      <label className="field">
        <span>{label}</span>
        <span className="secret-row">
          <input
            ref={input}
            readOnly
            value={value}
            className="secret"
            onFocus={(e) => e.currentTarget.select()}
            spellCheck={false}
            data-testid={`${testId}-value`}
          />
          <button type="button" className="btn" onClick={() => void copy()}>
            Copy
          </button>
        </span>
      </label>
      <p className="warn-box" role="note">
        <strong>You won’t see it again.</strong> {warning}
      </p>
      <p className="muted small" role="status" aria-live="polite">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'select'
            ? 'The browser refused the clipboard: the text is selected, press Ctrl+C (⌘C).'
            : ''}
      </p>
    </div>
  );
}
