/** Members: who is in the workspace with which role; change a role at once, remove with confirmation, make a reset link. */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import { MembersQuery, PasswordResetLinkMutation, RemoveMemberMutation, SetMemberRoleMutation } from '../../api/admin';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Dialog } from '../../components/dialog';
import { useNotify } from '../../components/notices';
import { queryState } from '../../components/query-state';
import { ShownOnce } from '../../components/shown-once';
import { explainError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import type { RoleName } from '../../lib/permissions';
import { useWorkspace } from '../../workspace';
import { AdminTable } from './admin-table';
import { RoleSelect } from './role-select';

type Member = { role: string; joinedAt: string; user: { id: string; email: string; name: string } };

export function MembersSection() {
  const { me } = useWorkspace();
  const notify = useNotify();
  const [members, refetch] = useQuery({ query: MembersQuery, requestPolicy: 'cache-and-network' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [, setRole] = useMutation(SetMemberRoleMutation);
  const [, removeMember] = useMutation(RemoveMemberMutation);
  const [, resetLink] = useMutation(PasswordResetLinkMutation);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [link, setLink] = useState<{ member: Member; url: string } | null>(null);
  const [rowError, setRowError] = useState<{ id: string; text: string } | null>(null);

  async function changeRole(m: Member, role: RoleName) {
    setRowError(null);
    const r = await setRole({ userId: m.user.id, role });
    if (r.error) {
      setRowError({ id: m.user.id, text: explainError(r.error) ?? 'The role could not be changed.' });
      reload();
    } else notify(`${m.user.name} is ${role} now`);
  }

  async function makeResetLink(m: Member) {
    setRowError(null);
    const r = await resetLink({ userId: m.user.id });
    if (r.error || !r.data) setRowError({ id: m.user.id, text: explainError(r.error) ?? 'No link was made.' });
    else setLink({ member: m, url: r.data.createPasswordResetLink });
  }

  const waiting = queryState(members, { what: 'members', retry: reload });
  if (waiting) return waiting;
  const list = members.data?.members ?? [];
  return (
    <>
      <p className="muted">
        A role change or a removal takes effect at once, on every open session. Invite people on the <Link href="/admin/invitations">Invitations</Link> page.
      </p>
      <AdminTable
        result={members}
        what="members"
        retry={reload}
        rowCount={list.length}
        empty="Nobody is a member yet (only keys use this workspace). Invite someone."
        testId="members"
        columns={['Person', 'Role', 'Joined']}
      >
        {list.map((m) => {
          const self = m.user.id === me.user?.id;
          return (
            <tr key={m.user.id} data-testid="member-row" data-email={m.user.email}>
              <td data-label="Person">
                <strong>{m.user.name}</strong>
                {self && <span className="badge muted">you</span>}
                <div className="desc">{m.user.email}</div>
              </td>
              <td data-label="Role">
                <RoleSelect aria-label={`Role of ${m.user.name}`} value={m.role} onChange={(role) => void changeRole(m, role)} data-testid="member-role" />
                {rowError?.id === m.user.id && (
                  <p className="error small" role="alert">
                    {rowError.text}
                  </p>
                )}
              </td>
              <td data-label="Joined">{formatDateTime(m.joinedAt)}</td>
              <td className="row-actions" data-label="">
                <button type="button" className="btn small" onClick={() => void makeResetLink(m)}>
                  Reset link
                </button>
                <button type="button" className="btn small danger" onClick={() => setRemoving(m)} aria-label={`Remove ${m.user.name}`}>
                  Remove
                </button>
              </td>
            </tr>
          );
        })}
      </AdminTable>
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.user.name}?`}
          confirmLabel="Remove member"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            const r = await removeMember({ userId: removing.user.id });
            if (r.error) return explainError(r.error) ?? 'The member could not be removed.';
            notify(`${removing.user.name} was removed`);
            reload();
            return null;
          }}
        >
          <p>
            <strong>{removing.user.email}</strong> loses this workspace at once: their open pages here stop working and their personal API keys of this
            workspace are revoked. Their history stays. You can invite them again later.
          </p>
        </ConfirmDialog>
      )}
      {link && (
        <Dialog title={`Password reset link for ${link.member.user.name}`} onClose={() => setLink(null)}>
          <ShownOnce
            label="Reset link"
            value={link.url}
            testId="reset-link"
            warning="Pass it on to them now (it works once and expires soon; with e-mail set up it was also mailed to them)."
          />
          <div className="dialog-actions">
            <button type="button" className="btn primary" onClick={() => setLink(null)}>
              Done
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
