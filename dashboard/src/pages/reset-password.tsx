/**
 * /ui/reset-password: without a token, "send me a link" by e-mail (when the server can mail; else
 * "ask an ADMIN"); with the link's token (#token=…), set a new password (the rules shown), which ends
 * every session of the person, then sign in with it.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { fetchAuthConfig, useLinkToken, requestPasswordReset, resetPassword, type AuthConfig } from '../api/account';
import { AccountFrame, PasswordRules } from './account-frame';

export default function ResetPasswordPage() {
  const token = useLinkToken();
  const [config, setConfig] = useState<AuthConfig | null>(null);
  useEffect(() => {
    void fetchAuthConfig().then(setConfig);
  }, []);
  if (!config)
    return (
      <AccountFrame title="Reset your password">
        <p role="status">Loading…</p>
      </AccountFrame>
    );
  return token ? <SetNewPassword token={token} minLength={config.passwordRules.minLength} /> : <RequestLink selfService={config.selfServicePasswordReset} />;
}

function RequestLink({ selfService }: { selfService: boolean }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await requestPasswordReset(email.trim());
    setBusy(false);
    if (r.ok) setSent(email.trim());
    else setError(r.code === 'RATE_LIMITED' ? 'Too many requests for now. Wait a while (the link may be in your inbox already), then try again.' : r.message);
  }
  if (!selfService)
    return (
      <AccountFrame title="Reset your password">
        <p role="note" data-testid="reset-unavailable">
          This server cannot e-mail reset links. Ask an ADMIN of your workspace: they can make a reset link for you on the Members page.
        </p>
        <a className="btn" href="/ui/">
          Back to sign-in
        </a>
      </AccountFrame>
    );
  if (sent)
    return (
      <AccountFrame title="Check your e-mail">
        <p role="status" data-testid="reset-sent">
          If <strong>{sent}</strong> has an account, a link to set a new password is on its way. It works once and expires soon. Nothing arrived within a few
          minutes? Look in the spam folder, or ask an ADMIN of your workspace for a reset link.
        </p>
        <a className="btn" href="/ui/">
          Back to sign-in
        </a>
      </AccountFrame>
    );
  return (
    <AccountFrame title="Reset your password">
      <form onSubmit={(e) => void submit(e)} aria-label="Ask for a reset link">
        <p>Give the email of your account: we send it a link to set a new password.</p>
        <label className="field">
          <span>Email</span>
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" autoFocus />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary wide" disabled={busy}>
          {busy ? 'Sending…' : 'Send me a link'}
        </button>
        <p className="muted small">
          <a href="/ui/">Back to sign-in</a>
        </p>
      </form>
    </AccountFrame>
  );
}

function SetNewPassword({ token, minLength }: { token: string; minLength: number }) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<{ text: string; dead?: boolean } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (password !== repeat) return setError({ text: 'The two passwords differ.' });
    setBusy(true);
    const r = await resetPassword(token, password);
    setBusy(false);
    if (r.ok) {
      // The link is spent: keep it out of the address bar and history.
      history.replaceState(null, '', '/ui/reset-password');
      return setDone(r.user.email);
    }
    if (r.code === 'NOT_FOUND')
      return setError({ text: 'This link does not work anymore: it was used, replaced by a newer one, or it expired. Ask for a new link.', dead: true });
    setError({ text: r.message });
  }
  if (done)
    return (
      <AccountFrame title="Password changed">
        <p role="status" data-testid="reset-done">
          The password of <strong>{done}</strong> is changed, and every session that was signed in with the old one has ended. Sign in with the new password.
        </p>
        <a className="btn primary" href="/ui/">
          Sign in
        </a>
      </AccountFrame>
    );
  return (
    <AccountFrame title="Set a new password">
      <form onSubmit={(e) => void submit(e)} aria-label="Set a new password">
        <label className="field">
          <span>New password</span>
          <input
            type="password"
            required
            minLength={minLength}
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              setError((x) => (x?.dead ? x : null));
            }}
            autoComplete="new-password"
            aria-describedby="password-rules"
            autoFocus
          />
        </label>
        <PasswordRules minLength={minLength} id="password-rules" />
        <label className="field">
          <span>New password again</span>
          <input
            type="password"
            required
            value={repeat}
            onChange={(e) => {
              setRepeat(e.target.value);
              setError((x) => (x?.dead ? x : null));
            }}
            autoComplete="new-password"
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error.text}
            {error.dead && (
              <>
                {' '}
                <a href="/ui/reset-password">Ask for a new link</a>
              </>
            )}
          </p>
        )}
        <button type="submit" className="btn primary wide" disabled={busy}>
          {busy ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </AccountFrame>
  );
}
