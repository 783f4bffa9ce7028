/** "Are you sure?" for destructive actions: says what happens, confirms with the named action, shows a failure in place. */
import { useState, type ReactNode } from 'react';
import { Dialog } from './dialog';

type Props = {
  title: string;
  confirmLabel: string;
  children: ReactNode;
  onClose: () => void;
  /** Resolves with an error message to show, or null when done (the dialog then closes). */
  onConfirm: () => Promise<string | null>;
};

export function ConfirmDialog({ title, confirmLabel, children, onClose, onConfirm }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    const failed = await onConfirm();
    setBusy(false);
    if (failed) setError(failed);
    else onClose();
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="confirm-body">{children}</div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="btn primary danger-fill" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
