/**
 * Invitations: invite an email with a role (the link shown once, also e-mailed when the server has
 * SMTP), the list with where each stands, resend (a new link, the old one stops working) and revoke.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { InvitationsQuery, InviteMemberMutation, ResendInvitationMutation, RevokeInvitationMutation } from '../../api/admin';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useNotify } from '../../components/notices';
import { ShownOnce } from '../../components/shown-once';
import { explainError } from '../../lib/errors';
import { formatAgo, formatDateTime } from '../../lib/format';
import type { RoleName } from '../../lib/permissions';
import { AdminTable } from './admin-table';
import { RoleSelect } from './role-select';

type Invitation = { id: string; email: string; role: string; status: string };
type Link = { email: string; role: string; url: string; emailed: boolean; resent: boolean };

const STATUS_TEXT: Record<string, string> = { PENDING: 'Pending', ACCEPTED: 'Accepted', REVOKED: 'Revoked', EXPIRED: 'Expired' };

export function InvitationsSection() {
  const notify = useNotify();
  const [list, refetch] = useQuery({ query: InvitationsQuery, requestPolicy: 'cache-and-network' });
  const [inviting, invite] = useMutation(InviteMemberMutation);
  const [, resend] = useMutation(ResendInvitationMutation);
  const [, revoke] = useMutation(RevokeInvitationMutation);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<RoleName>('EDITOR');
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<Link | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [rowError, setRowError] = useState<{ id: string; text: string } | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setLink(null);
    const r = await invite({ email: email.trim(), role });
    if (r.error || !r.data) return setError(explainError(r.error) ?? 'The invitation was not made.');
    const made = r.data.inviteMember;
    setLink({ email: made.invitation.email, role: made.invitation.role, url: made.acceptUrl, emailed: made.emailed, resent: false });
    setEmail('');
    reload();
  }

  async function resendOne(i: Invitation) {
    setRowError(null);
    setLink(null);
    const r = await resend({ id: i.id });
    if (r.error || !r.data) return setRowError({ id: i.id, text: explainError(r.error) ?? 'Not re-sent.' });
    const made = r.data.resendInvitation;
    setLink({ email: made.invitation.email, role: made.invitation.role, url: made.acceptUrl, emailed: made.emailed, resent: true });
    notify(`A new link for ${i.email}`);
    reload();
  }

  const invitations = list.data?.invitations ?? [];
  return (
    <>
      <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-labelledby="invite-title">
        <h3 id="invite-title" className="small-title">
          Invite a person
        </h3>
        <div className="form-row">
          <label className="field grow">
            <span>Email</span>
            <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" placeholder="name@example.com" />
          </label>
          <label className="field">
            <span>Role</span>
            <RoleSelect value={role} onChange={setRole} />
          </label>
          <button type="submit" className="btn primary form-submit" disabled={inviting.fetching || !email.trim()}>
            {inviting.fetching ? 'Inviting…' : 'Invite'}
          </button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      {link && (
        <div className="card created" data-testid="invitation-created">
          <p>
            {link.resent ? 'A new link for' : 'Invited'} <strong>{link.email}</strong> as <strong>{link.role}</strong>.{' '}
            {link.emailed ? 'The link was e-mailed to them too.' : 'It was not e-mailed (no mail server, or it refused): pass the link on yourself.'}
          </p>
          <ShownOnce
            label="Invitation link"
            value={link.url}
            testId="invitation-link"
            warning="Copy it now if you pass it on yourself: the link works once and is never shown again (resend makes a new one)."
          />
          <button type="button" className="btn" onClick={() => setLink(null)}>
            Done
          </button>
        </div>
      )}
      <h3 className="small-title">Invitations</h3>
      <AdminTable
        result={list}
        what="invitations"
        retry={reload}
        rowCount={invitations.length}
        empty="No invitations yet. Invite someone with the form above."
        testId="invitations"
        columns={['Email', 'Role', 'Status', 'Invited']}
      >
        {invitations.map((i) => (
          <tr key={i.id} data-testid="invitation-row" data-email={i.email}>
            <td data-label="Email">{i.email}</td>
            <td data-label="Role">{i.role}</td>
            <td data-label="Status">
              <span className={`badge status-${i.status.toLowerCase()}`}>{STATUS_TEXT[i.status] ?? i.status}</span>
              <div className="desc">
                {i.status === 'PENDING' && `expires ${formatDateTime(i.expiresAt)}`}
                {i.status === 'EXPIRED' && `expired ${formatAgo(i.expiresAt)}: resend makes a new link`}
                {i.status === 'ACCEPTED' && i.acceptedAt && `by ${i.acceptedBy?.name ?? i.email}, ${formatAgo(i.acceptedAt)}`}
              </div>
            </td>
            <td data-label="Invited">
              {formatAgo(i.createdAt)} by {i.invitedBy.name}
              {i.lastSentAt && <div className="desc">mailed {formatAgo(i.lastSentAt)}</div>}
            </td>
            <td className="row-actions" data-label="">
              {(i.status === 'PENDING' || i.status === 'EXPIRED') && (
                <button type="button" className="btn small" onClick={() => void resendOne(i)} aria-label={`Resend the invitation of ${i.email}`}>
                  Resend
                </button>
              )}
              {i.status === 'PENDING' && (
                <button type="button" className="btn small danger" onClick={() => setRevoking(i)} aria-label={`Revoke the invitation of ${i.email}`}>
                  Revoke
                </button>
              )}
              {rowError?.id === i.id && (
                <p className="error small" role="alert">
                  {rowError.text}
                </p>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {revoking && (
        <ConfirmDialog
          title={`Revoke the invitation of ${revoking.email}?`}
          confirmLabel="Revoke invitation"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            const r = await revoke({ id: revoking.id });
            if (r.error) return explainError(r.error) ?? 'Not revoked.';
            notify(`The invitation of ${revoking.email} was revoked`);
            reload();
            return null;
          }}
        >
          <p>Its link stops working at once. You can invite {revoking.email} again later.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
