import type { ReactNode } from 'react';

/** The visible reason beside a disabled button (a disabled button shows no tooltip and takes no focus); `children` follow it, e.g. a link to what blocks the button. */
export function Reason({ id, text, children }: { id: string; text: string | null; children?: ReactNode }) {
  if (!text) return null;
  return (
    <p id={id} className="reason" data-testid="disabled-reason">
      {text}
      {children && <> {children}</>}
    </p>
  );
}
