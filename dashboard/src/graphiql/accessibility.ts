/**
 * Repairs to GraphiQL's own markup (graphiql 4.1: no prop reaches it) for what axe reports as serious or critical:
 * - tabs: each `li[role=tab]` holds two buttons, select and close: controls nested in a control (nested-interactive).
 *   The tab role and its state move to the select button, which GraphiQL already wires as the tab (its id labels
 *   the tab panel, it has aria-controls); the li becomes presentational. The close button then may not sit in the
 *   tablist (aria-required-children), so it leaves the accessibility tree and the tab order (a mouse still clicks
 *   it), and a focused tab closes with Delete instead, as the WAI-ARIA tabs pattern has it (aria-keyshortcuts).
 * - CodeMirror's hidden textareas (query, variables, headers, response) have no label (label): each gets one.
 * - an editor's scroll container is not keyboard-reachable (scrollable-region-focusable): CodeMirror's input sits
 *   outside it. It joins the tab order (tabindex 0), so arrow and page keys scroll a long query or response.
 * Re-applied on every DOM change under `root` (new tabs, switched tabs, editors mounted later), changing only what
 * differs, so the observer settles after one pass.
 */
const EDITOR_LABELS: [selector: string, label: string][] = [
  ['.graphiql-query-editor textarea', 'Query editor'],
  ['.graphiql-editor-tool > .graphiql-editor:nth-of-type(1) textarea', 'Variables editor'],
  ['.graphiql-editor-tool > .graphiql-editor:nth-of-type(2) textarea', 'Headers editor'],
  ['.graphiql-response textarea', 'Response'],
];

function set(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function repair(root: HTMLElement): void {
  for (const tab of root.querySelectorAll('li.graphiql-tab')) {
    const button = tab.querySelector(':scope > .graphiql-tab-button');
    if (!button) continue;
    // React sets aria-selected on the li again whenever the active tab changes: carry it over each time.
    const selected = tab.getAttribute('aria-selected');
    if (selected !== null) set(button, 'aria-selected', selected);
    set(button, 'role', 'tab');
    set(tab, 'role', 'presentation');
    set(tab, 'aria-selected', null);
    const close = tab.querySelector(':scope > .graphiql-tab-close');
    set(button, 'aria-keyshortcuts', close ? 'Delete' : null);
    if (close) {
      set(close, 'tabindex', '-1');
      set(close, 'aria-hidden', 'true');
    }
  }
  for (const [selector, label] of EDITOR_LABELS) for (const textarea of root.querySelectorAll(selector)) set(textarea, 'aria-label', label);
  for (const scroller of root.querySelectorAll('.CodeMirror-scroll')) set(scroller, 'tabindex', '0');
}

/** Delete on a focused tab clicks its (hidden) close button. */
function onKeyDown(event: KeyboardEvent): void {
  const target = event.target as Element | null;
  if (event.key !== 'Delete' || !target?.matches('.graphiql-tab-button[role="tab"]')) return;
  const close = target.parentElement?.querySelector<HTMLElement>(':scope > .graphiql-tab-close');
  if (!close) return;
  event.preventDefault();
  close.click();
}

/** Repairs `root`'s GraphiQL markup now and after every change; returns the clean-up. */
export function repairGraphiQLAccessibility(root: HTMLElement): () => void {
  repair(root);
  const observer = new MutationObserver(() => repair(root));
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-selected', 'role'] });
  root.addEventListener('keydown', onKeyDown);
  return () => {
    observer.disconnect();
    root.removeEventListener('keydown', onKeyDown);
  };
}
