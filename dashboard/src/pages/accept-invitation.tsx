/**
 * /ui/accept-invitation#token=…: what the invitation is for (workspace, role, email), then either
 * "create your account" (name and password, the server's rules shown) or, signed in, "join". A link
 * that no longer works says why (used, revoked, expired) and what to do next.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { acceptInvitation, describeInvitation, fetchAuthConfig, useLinkToken, type Failure, type InvitationInfo } from '../api/account';
import type { Me } from '../api/session';
import { formatDateTime } from '../lib/format';
import { AccountFrame, PasswordRules } from './account-frame';

type Props = { me: Me | null; onJoined: (workspaceId: string) => void; onSignOut: () => Promise<void> };

const DEAD_LINK: Record<string, { title: string; text: string }> = {
  ACCEPTED: {
    title: 'This invitation was used',
    text: 'Someone accepted it already. If that was you, sign in. Otherwise ask the admin who invited you for a new invitation.',
  },
  REVOKED: {
    title: 'This invitation was withdrawn',
    text: 'An admin revoked it, or sent a newer invitation to the same address (look for a later e-mail). Ask the admin who invited you if you still need access.',
  },
  EXPIRED: { title: 'This invitation has expired', text: 'Ask the admin who invited you to resend it: they get a new link for you in one click.' },
  UNKNOWN: {
    title: 'This invitation link does not work',
    text: 'It may be incomplete (copy the whole link from the e-mail) or replaced by a newer one. Ask the admin who invited you to resend it.',
  },
};

export default function AcceptInvitationPage({ me, onJoined, onSignOut }: Props) {
  const token = useLinkToken();
  const [info, setInfo] = useState<(InvitationInfo & { ok: true }) | Failure | null>(null);
  const [minLength, setMinLength] = useState(12);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    void describeInvitation(token).then(setInfo);
    void fetchAuthConfig().then((c) => setMinLength(c.passwordRules.minLength));
  }, [token]);

  if (!token)
    return (
      <AccountFrame title={DEAD_LINK.UNKNOWN!.title}>
        <p role="alert">The link has no invitation token. {DEAD_LINK.UNKNOWN!.text}</p>
      </AccountFrame>
    );
  if (!info)
    return (
      <AccountFrame title="Invitation">
        <p role="status">Checking the invitation…</p>
      </AccountFrame>
    );
  if (!info.ok && info.code !== 'NOT_FOUND')
    return (
      <AccountFrame title="Invitation">
        <p className="error" role="alert">
          {info.message}
        </p>
        <button className="btn" onClick={() => location.reload()}>
          Retry
        </button>
      </AccountFrame>
    );
  const status = info.ok ? info.status : 'UNKNOWN';
  if (status !== 'PENDING') {
    const dead = DEAD_LINK[status] ?? DEAD_LINK.UNKNOWN!;
    return (
      <AccountFrame title={dead.title}>
        <p role="alert" data-testid="invitation-problem">
          {dead.text}
        </p>
        <a className="btn" href="/ui/">
          {me ? 'Go to the dashboard' : 'Go to sign-in'}
        </a>
      </AccountFrame>
    );
  }
  const invitation = info as InvitationInfo & { ok: true };

  const forSomeoneElse = me?.user && me.user.email.toLowerCase() !== invitation.email.toLowerCase();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!me && password !== repeat) return setError({ text: 'The two passwords differ.', field: 'repeat' });
    setBusy(true);
    const r = await acceptInvitation(token!, me ? undefined : name.trim(), me ? undefined : password);
    setBusy(false);
    if (r.ok) return onJoined(r.workspace.id);
    if (r.code === 'NOT_FOUND') return setInfo({ ...invitation, status: 'EXPIRED' });
    setError({ text: r.message, field: r.field });
  }

  const intro = (
    <p data-testid="invitation-summary">
      You are invited to <strong>{invitation.workspace.name}</strong> as <strong>{invitation.role}</strong> ({invitation.email}). The link works until{' '}
      {formatDateTime(invitation.expiresAt)}.
    </p>
  );
  if (me)
    return (
      <AccountFrame title={`Join ${invitation.workspace.name}`}>
        {intro}
        {forSomeoneElse ? (
          <>
            <p role="alert">
              You are signed in as <strong>{me.user!.email}</strong>, but this invitation is for <strong>{invitation.email}</strong>. Sign out, then open the
              link again to create that account (or sign in as it).
            </p>
            <button className="btn primary" onClick={() => void onSignOut()}>
              Sign out
            </button>
          </>
        ) : (
          <form onSubmit={(e) => void submit(e)}>
            {error && (
              <p className="error" role="alert">
                {error.text}
              </p>
            )}
            <button type="submit" className="btn primary wide" disabled={busy}>
              {busy ? 'Joining…' : `Join ${invitation.workspace.name}`}
            </button>
          </form>
        )}
      </AccountFrame>
    );
  const fieldError = (f: string) =>
    error?.field === f ? (
      <span className="error small" role="alert" id={`${f}-error`}>
        {error.text}
      </span>
    ) : null;
  return (
    <AccountFrame title="Create your account">
      {intro}
      <form onSubmit={(e) => void submit(e)} aria-label="Create your account">
        <label className="field">
          <span>Email</span>
          <input type="email" value={invitation.email} readOnly autoComplete="username" />
        </label>
        <label className="field">
          <span>Your name (shown in history)</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" autoFocus aria-invalid={error?.field === 'name'} />
          {fieldError('name')}
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            required
            minLength={minLength}
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              setError((x) => (x?.field === 'password' ? null : x));
            }}
            autoComplete="new-password"
            aria-describedby="password-rules"
            aria-invalid={error?.field === 'password'}
          />
          {fieldError('password')}
        </label>
        <PasswordRules minLength={minLength} id="password-rules" />
        <label className="field">
          <span>Password again</span>
          <input
            type="password"
            required
            value={repeat}
            onChange={(e) => {
              setRepeat(e.target.value);
              setError((x) => (x?.field === 'repeat' ? null : x));
            }}
            autoComplete="new-password"
            aria-invalid={error?.field === 'repeat'}
          />
          {fieldError('repeat')}
        </label>
        {error && !['name', 'password', 'repeat'].includes(error.field ?? '') && (
          <p className="error" role="alert">
            {error.text}
            {/exists/.test(error.text) && (
              <>
                {' '}
                <a href="/ui/">Sign in</a>
              </>
            )}
          </p>
        )}
        <button type="submit" className="btn primary wide" disabled={busy}>
          {busy ? 'Creating your account…' : `Create account and join ${invitation.workspace.name}`}
        </button>
      </form>
    </AccountFrame>
  );
}
