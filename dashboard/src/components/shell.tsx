/** The frame of every signed-in page: product name, workspace switcher, role, live status, sections (prompts, cost), sign-out. */
import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useWorkspace } from '../workspace';

const SOCKET_LABEL = { connecting: 'Connecting…', connected: 'Live', closed: 'Offline, reconnecting' } as const;

export function Shell({ children }: { children: ReactNode }) {
  const { me, workspaceId, switchWorkspace, signOut, socket } = useWorkspace();
  const [location] = useLocation();
  // A new page: focus to its main region, so the keyboard (and a screen reader) starts at the page's
  // content instead of wherever the link that led here was (or <body>, once that link is gone).
  const shownPath = useRef(location);
  useEffect(() => {
    if (shownPath.current === location) return;
    shownPath.current = location;
    document.getElementById('main')?.focus();
  }, [location]);
  const memberships = me.memberships.length ? me.memberships : [{ role: me.role, workspace: me.workspace }];
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          Prompts
        </Link>
        <label className="switcher">
          <span className="sr-only">Workspace</span>
          <select value={workspaceId} onChange={(e) => switchWorkspace(e.target.value)} aria-label="Workspace" data-testid="workspace-switcher">
            {memberships.map((m) => (
              <option key={m.workspace.id} value={m.workspace.id}>
                {m.workspace.name}
              </option>
            ))}
          </select>
        </label>
        <span className="role" title="Your role in this workspace" data-testid="role">
          {me.role ?? 'SERVICE'}
        </span>
        <span className={`live ${socket}`} title="Live updates">
          <span className="dot" aria-hidden="true" />
          <span className="live-text">{SOCKET_LABEL[socket]}</span>
        </span>
        <span className="spacer" />
        <nav aria-label="Sections" className="topnav">
          <Link href="/" className="btn ghost" aria-current={location === '/' ? 'page' : undefined}>
            Prompts
          </Link>
          <Link href="/cost" className="btn ghost" aria-current={location === '/cost' ? 'page' : undefined} data-testid="cost-link">
            Cost
          </Link>
          <Link
            href="/admin/members"
            className="btn ghost"
            data-testid="admin-link"
            aria-current={location.startsWith('/admin') ? 'page' : undefined}
            title={me.role === 'ADMIN' ? 'Members, invitations, keys, labels, prices, audit log' : 'Your API keys; the rest needs the ADMIN role'}
          >
            Admin
          </Link>
        </nav>
        <Link href="/graphiql" className="btn ghost" data-testid="graphiql-link">
          GraphiQL
        </Link>
        <span className="who" title={me.user?.email ?? me.name}>
          {me.user?.name ?? me.name}
        </span>
        <button className="btn ghost" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
