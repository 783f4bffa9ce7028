/** Two texts side by side (CodeMirror's MergeView, read-only) or unified, changed chunks highlighted. */
import { MergeView, unifiedMergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { cspNonce } from '../lib/csp-nonce';

export function TextDiff({
  before,
  after,
  beforeLabel,
  afterLabel,
  layout = 'split',
}: {
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
  layout?: 'split' | 'unified';
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const common = [EditorView.cspNonce.of(cspNonce), EditorView.editable.of(false), EditorState.readOnly.of(true), EditorView.lineWrapping];
    if (layout === 'unified') {
      const view = new EditorView({
        parent: host.current!,
        doc: after,
        extensions: [
          ...common,
          unifiedMergeView({ original: before, mergeControls: false }),
          EditorView.contentAttributes.of({ 'aria-label': `Unified diff ${beforeLabel} → ${afterLabel}` }),
        ],
      });
      return () => view.destroy();
    }
    const view = new MergeView({
      parent: host.current!,
      a: { doc: before, extensions: [...common, EditorView.contentAttributes.of({ 'aria-label': beforeLabel })] },
      b: { doc: after, extensions: [...common, EditorView.contentAttributes.of({ 'aria-label': afterLabel })] },
    });
    return () => view.destroy();
  }, [before, after, beforeLabel, afterLabel, layout]);
  return (
    <div className="text-diff" data-testid="text-diff">
      {layout === 'split' && (
        <div className="diff-labels" aria-hidden="true">
          <span>{beforeLabel}</span>
          <span>{afterLabel}</span>
        </div>
      )}
      <div ref={host} />
    </div>
  );
}
