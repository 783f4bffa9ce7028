/** The visible reason beside a disabled button (a disabled button shows no tooltip and takes no focus). */
export function Reason({ id, text }: { id: string; text: string | null }) {
  if (!text) return null;
  return (
    <p id={id} className="reason" data-testid="disabled-reason">
      {text}
    </p>
  );
}
