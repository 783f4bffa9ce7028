/**
 * The dashboard: decides between the sign-in page and the signed-in app (from `me`), holds the
 * workspace chosen in the switcher (remembered in localStorage), and gives each workspace its own
 * urql client and socket (switching builds a new one, so no cached data crosses workspaces).
 */
import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { Provider, type Client } from 'urql';
import { Route, Router, Switch } from 'wouter';
import { createWorkspaceClient, type SocketState } from './api/client';
import { fetchMe, signOut, type Me } from './api/session';
import { Shell } from './components/shell';
import { NoticeProvider } from './components/notices';
import { NotFoundPage } from './pages/not-found';
import { PromptListPage } from './pages/prompt-list';
import { PromptPage } from './pages/prompt-page';
import { SignInPage } from './pages/sign-in';
import { WorkspaceContext, useWorkspace, type WorkspaceState } from './workspace';

const WORKSPACE_KEY = 'pm.workspaceId';
// CodeMirror is loaded with the pages that use it, not with the list every session opens first.
const NewVersionPage = lazy(() => import('./pages/new-version'));
const ComparePage = lazy(() => import('./pages/compare'));
// A/B test pages are opened from a prompt page, rarely first: kept out of the initial bundle.
const StartABTestPage = lazy(() => import('./pages/ab-test-start'));
const ABTestPage = lazy(() => import('./pages/ab-test'));
// GraphiQL (CodeMirror 5, its own CSS) is the heaviest page: only fetched when /ui/graphiql is opened.
const GraphiQLPage = lazy(() => import('./pages/graphiql'));
// Charts (uPlot) only load with the metrics and cost pages.
const PromptMetricsPage = lazy(() => import('./pages/prompt-metrics'));
const CostPage = lazy(() => import('./pages/cost'));
// The admin area and the pages opened from e-mailed links are rarely used: fetched when opened.
const AdminPage = lazy(() => import('./pages/admin/admin'));
const AcceptInvitationPage = lazy(() => import('./pages/accept-invitation'));
const ResetPasswordPage = lazy(() => import('./pages/reset-password'));

/** The pages that work signed in or out (opened from an invitation or reset e-mail). */
function accountPageOf(path: string): 'accept-invitation' | 'reset-password' | null {
  if (/^\/ui\/accept-invitation\/?$/.test(path)) return 'accept-invitation';
  if (/^\/ui\/reset-password\/?$/.test(path)) return 'reset-password';
  return null;
}

function isGraphiQLPath(): boolean {
  return /^\/ui\/graphiql\/?$/.test(location.pathname);
}

function SessionGraphiQL() {
  return <GraphiQLPage workspaceId={useWorkspace().workspaceId} />;
}

type Boot = { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'error'; message: string } | { kind: 'signed-in'; me: Me };

export function App() {
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });
  const [accountPage, setAccountPage] = useState(() => accountPageOf(location.pathname));

  const load = useCallback(async (workspaceId: string | null) => {
    let outcome = await fetchMe(workspaceId);
    // A remembered workspace the person left (or lost access to): fall back to their first one.
    if (outcome.kind === 'forbidden' && workspaceId) {
      localStorage.removeItem(WORKSPACE_KEY);
      outcome = await fetchMe(null);
    }
    if (outcome.kind === 'signed-in') {
      localStorage.setItem(WORKSPACE_KEY, outcome.me.workspace.id);
      setBoot({ kind: 'signed-in', me: outcome.me });
    } else if (outcome.kind === 'signed-out') setBoot({ kind: 'signed-out' });
    else if (outcome.kind === 'forbidden') setBoot({ kind: 'error', message: 'You are not a member of any workspace. Ask an admin to invite you.' });
    else setBoot({ kind: 'error', message: outcome.message });
  }, []);

  useEffect(() => {
    void load(localStorage.getItem(WORKSPACE_KEY));
  }, [load]);

  if (boot.kind === 'loading')
    return (
      <div className="boot" role="status" aria-live="polite">
        Loading…
      </div>
    );
  // Before the error states: a person with no workspace left can still accept an invitation.
  if (accountPage)
    return (
      <Suspense
        fallback={
          <p className="state" role="status">
            Loading…
          </p>
        }
      >
        {accountPage === 'accept-invitation' ? (
          <AcceptInvitationPage
            me={boot.kind === 'signed-in' ? boot.me : null}
            onJoined={(workspaceId) => {
              // Land in the workspace just joined, signed in, on the prompt list.
              localStorage.setItem(WORKSPACE_KEY, workspaceId);
              history.replaceState(null, '', '/ui/');
              setAccountPage(null);
              setBoot({ kind: 'loading' });
              void load(workspaceId);
            }}
            onSignOut={async () => {
              await signOut();
              setBoot({ kind: 'signed-out' });
            }}
          />
        ) : (
          <ResetPasswordPage />
        )}
      </Suspense>
    );
  if (boot.kind === 'error')
    return (
      <main className="boot">
        <div className="card narrow" role="alert">
          <h1>Something went wrong</h1>
          <p>{boot.message}</p>
          <button className="btn primary" onClick={() => void load(localStorage.getItem(WORKSPACE_KEY))}>
            Retry
          </button>
        </div>
      </main>
    );
  // Signed out, GraphiQL still opens for someone with an API key (a service's key, no person behind it).
  if (boot.kind === 'signed-out' && isGraphiQLPath())
    return (
      <Suspense
        fallback={
          <p className="state" role="status">
            Loading…
          </p>
        }
      >
        <main id="main" className="content">
          <GraphiQLPage workspaceId={null} />
        </main>
      </Suspense>
    );
  if (boot.kind === 'signed-out') return <SignInPage onSignedIn={() => void load(localStorage.getItem(WORKSPACE_KEY))} />;
  return (
    <SignedIn
      key={boot.me.workspace.id}
      me={boot.me}
      onSwitch={(id) => void load(id)}
      onSignOut={async () => {
        await signOut();
        setBoot({ kind: 'signed-out' });
      }}
    />
  );
}

function SignedIn({ me, onSwitch, onSignOut }: { me: Me; onSwitch: (id: string) => void; onSignOut: () => Promise<void> }) {
  const [socket, setSocket] = useState<SocketState>('connecting');
  const [reconnects, setReconnects] = useState(0);
  // Created in an effect, not during render: a render React discards must not leave a socket open.
  const [client, setClient] = useState<Client | null>(null);
  useEffect(() => {
    const created = createWorkspaceClient(me.workspace.id, setSocket, () => setReconnects((n) => n + 1));
    setClient(created.client);
    return created.dispose;
  }, [me.workspace.id]);
  if (!client)
    return (
      <div className="boot" role="status">
        Loading…
      </div>
    );
  const state: WorkspaceState = { me, workspaceId: me.workspace.id, socket, reconnects, switchWorkspace: onSwitch, signOut: onSignOut };
  return (
    <WorkspaceContext.Provider value={state}>
      <Provider value={client}>
        <NoticeProvider>
          <Router base="/ui">
            <Shell>
              <Suspense
                fallback={
                  <p className="state" role="status">
                    Loading…
                  </p>
                }
              >
                <Switch>
                  <Route path="/" component={PromptListPage} />
                  <Route path="/prompts/*" component={PromptPage} />
                  <Route path="/new-version/*" component={NewVersionPage} />
                  <Route path="/compare/*" component={ComparePage} />
                  <Route path="/metrics/*" component={PromptMetricsPage} />
                  <Route path="/cost" component={CostPage} />
                  <Route path="/ab-tests/new/*" component={StartABTestPage} />
                  <Route path="/ab-tests/:id" component={ABTestPage} />
                  <Route path="/graphiql" component={SessionGraphiQL} />
                  <Route path="/admin" component={AdminPage} />
                  <Route path="/admin/*" component={AdminPage} />
                  <Route component={NotFoundPage} />
                </Switch>
              </Suspense>
            </Shell>
          </Router>
        </NoticeProvider>
      </Provider>
    </WorkspaceContext.Provider>
  );
}
