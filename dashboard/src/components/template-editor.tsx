/**
 * A template editor on CodeMirror 6: `{{var}}`, sections (`{{#…}}`, `{{^…}}`, `{{/…}}`), includes
 * (`{{> …}}`) and comments (`{{! …}}`) highlighted; after `{{` it completes declared variables, after
 * `{{>` prompt names; `diagnostics` (the server's validateTemplate errors) show at their line and column.
 */
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { Decoration, EditorView, MatchDecorator, ViewPlugin, keymap, lineNumbers, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { cspNonce } from '../lib/csp-nonce';

export type EditorDiagnostic = { line: number; column: number; message: string };

const TAG_CLASS = (tag: string): string => {
  const inner = tag.slice(2).trimStart();
  if (inner.startsWith('!')) return 'cm-tpl-comment';
  if (inner.startsWith('>')) return 'cm-tpl-include';
  if (/^[#^/]/.test(inner)) return 'cm-tpl-section';
  return 'cm-tpl-var';
};

const tags = new MatchDecorator({
  regexp: /(?<!\\)\{\{[^}]*\}\}/g,
  decoration: (m) => Decoration.mark({ class: TAG_CLASS(m[0]) }),
});

const highlightTags = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = tags.createDeco(view);
    }
    update(u: ViewUpdate) {
      this.decorations = tags.updateDeco(u, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);

type Props = {
  value: string;
  onChange: (value: string) => void;
  label: string;
  diagnostics?: readonly EditorDiagnostic[];
  variables?: readonly string[];
  promptNames?: readonly string[];
  readOnly?: boolean;
  testId?: string;
};

export function TemplateEditor({ value, onChange, label, diagnostics = [], variables = [], promptNames = [], readOnly = false, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, variables, promptNames });
  latest.current = { onChange, variables, promptNames };

  useEffect(() => {
    const complete = (ctx: CompletionContext): CompletionResult | null => {
      const include = ctx.matchBefore(/\{\{>\s*[\w./-]*/);
      if (include) {
        const from = include.from + include.text.search(/[\w./-]*$/);
        return { from, options: latest.current.promptNames.map((n) => ({ label: n, type: 'namespace', detail: 'prompt' })), validFor: /^[\w./-]*$/ };
      }
      const tag = ctx.matchBefore(/\{\{[#^/]?\s*[\w.]*/);
      if (!tag) return null;
      const from = tag.from + tag.text.search(/[\w.]*$/);
      return { from, options: latest.current.variables.map((n) => ({ label: n, type: 'variable' })), validFor: /^[\w.]*$/ };
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          EditorView.cspNonce.of(cspNonce),
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          highlightTags,
          autocompletion({ override: [complete], activateOnTyping: true }),
          lintGutter(),
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label, ...(testId ? { 'data-testid': testId } : {}) }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; value changes from outside are applied below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const doc = v.state.doc;
    const list: Diagnostic[] = diagnostics.map((d) => {
      const line = doc.line(Math.min(Math.max(d.line, 1), doc.lines));
      const from = Math.min(line.from + Math.max(d.column - 1, 0), line.to);
      return { from, to: Math.min(from + 2, line.to), severity: 'error', message: d.message };
    });
    v.dispatch(setDiagnostics(v.state, list));
  }, [diagnostics]);

  return <div ref={host} className="template-editor" />;
}
