/**
 * A modal <dialog>, opened while mounted: focus kept inside (showModal), Escape closes, focus starts
 * on the element marked `data-autofocus` (else the first control), and on close goes back to where it
 * was before opening (or to `finalFocus()` when given and found, e.g. a control that replaces the
 * opener; or to the main region when the opener is gone), so a keyboard user never lands on <body>.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';

type Props = { title: string; onClose: () => void; finalFocus?: () => HTMLElement | null | undefined; children: ReactNode };

export function Dialog({ title, onClose, finalFocus, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const final = useRef(finalFocus);
  final.current = finalFocus;
  // Layout effect: its clean-up runs while the dialog is still in the document, before the opener's own re-render settles.
  useLayoutEffect(() => {
    const d = ref.current!;
    // The button that opened it, where focus goes back on close (the browser's own restoring does not
    // happen here: React removes the dialog from the document around this clean-up).
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      d.close();
      const target = final.current?.() ?? (opener?.isConnected ? opener : document.getElementById('main'));
      target?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id="dialog-title">{title}</h2>
        <button className="btn ghost small" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      {children}
    </dialog>
  );
}
