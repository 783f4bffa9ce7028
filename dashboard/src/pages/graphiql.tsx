/**
 * GraphiQL at /ui/graphiql, bundled from npm (no CDN) and loaded only when this page is opened, so the
 * dashboard's first load stays small. Signed in, it runs with the session in the chosen workspace;
 * a pasted API key (kept in memory only, never stored) replaces the session. Signed out, a key is the
 * only way in.
 */
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createFetcher, type Credentials } from '../graphiql/fetcher';
import { repairGraphiQLAccessibility } from '../graphiql/accessibility';
import { EXAMPLE_TABS } from '../graphiql/examples';

export default function GraphiQLPage({ workspaceId }: { workspaceId: string | null }) {
  const [key, setKey] = useState('');
  const [draft, setDraft] = useState('');
  // A new fetcher (and a fresh introspection) only when the credentials change, not on every render.
  const fetcher = useMemo(() => {
    const credentials: Credentials | null = key ? { kind: 'key', key } : workspaceId ? { kind: 'session', workspaceId } : null;
    return credentials ? createFetcher(credentials) : null;
  }, [key, workspaceId]);
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => (host.current ? repairGraphiQLAccessibility(host.current) : undefined), []);
  return (
    <section className="graphiql-page" aria-label="GraphiQL">
      <form
        className="graphiql-auth"
        onSubmit={(e) => {
          e.preventDefault();
          setKey(draft.trim());
        }}
      >
        <span data-testid="graphiql-auth">
          {key ? 'Using the pasted API key' : workspaceId ? 'Using your session in this workspace' : 'Paste an API key, or sign in'}
        </span>
        <label>
          <span className="sr-only">API key</span>
          <input
            type="password"
            placeholder="API key (optional)"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            autoComplete="off"
            aria-label="API key"
          />
        </label>
        <button className="btn" type="submit" disabled={!draft.trim()}>
          Use key
        </button>
        {key && (
          <button
            className="btn ghost"
            type="button"
            onClick={() => {
              setKey('');
              setDraft('');
            }}
          >
            {workspaceId ? 'Back to my session' : 'Forget key'}
          </button>
        )}
        {!workspaceId && (
          <a className="btn ghost" href="/ui/">
            Sign in
          </a>
        )}
      </form>
      <div className="graphiql-host" ref={host}>
        {fetcher ? (
          <GraphiQL key={key ? 'key' : 'session'} fetcher={fetcher} defaultTabs={EXAMPLE_TABS} defaultEditorToolsVisibility="variables" />
        ) : (
          <p className="state">GraphiQL needs a session or an API key.</p>
        )}
      </div>
    </section>
  );
}
