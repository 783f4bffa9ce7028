/** Email and password sign-in (POST /auth/sign-in sets the httpOnly session cookie). */
import { useEffect, useState, type FormEvent } from 'react';
import { fetchAuthConfig } from '../api/account';
import { signIn } from '../api/session';

export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What this server offers besides passwords (GET /auth/config): SSO when OIDC is set up.
  const [sso, setSso] = useState<string | null>(null);
  useEffect(() => {
    void fetchAuthConfig().then((c) => setSso(c.sso?.startUrl ?? null));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await signIn(email.trim(), password);
    setBusy(false);
    if (result.ok) onSignedIn();
    else setError(result.message);
  }

  return (
    <main className="signin">
      <form className="card narrow" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div className="brand big">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          Prompts
        </div>
        <h1 id="signin-title">Sign in</h1>
        <label className="field">
          <span>Email</span>
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="btn primary wide" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="forgot">
          <a href="/ui/reset-password">Forgot your password?</a>
        </p>
        {sso && (
          <>
            <p className="or" aria-hidden="true">
              or
            </p>
            <a className="btn wide" href={sso}>
              Sign in with SSO
            </a>
          </>
        )}
      </form>
    </main>
  );
}
