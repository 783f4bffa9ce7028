/**
 * API keys: create one with a name and a role (the secret shown exactly once, in a dialog with a copy
 * button; closing it forgets it), the list with prefix, role and last use, revoke with confirmation.
 * An ADMIN sees every key and makes workspace keys or personal ones; anyone else sees and makes only
 * their own personal keys, never above their role.
 */
import { useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { ApiKeysQuery, CreateApiKeyMutation, RevokeApiKeyMutation } from '../../api/admin';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Dialog } from '../../components/dialog';
import { useNotify } from '../../components/notices';
import { Reason } from '../../components/reason';
import { ShownOnce } from '../../components/shown-once';
import { explainError } from '../../lib/errors';
import { formatAgo, formatDateTime } from '../../lib/format';
import { cannotAdminister, rolesUpTo, type RoleName } from '../../lib/permissions';
import { useWorkspace } from '../../workspace';
import { AdminTable } from './admin-table';
import { RoleSelect } from './role-select';

type Key = { id: string; name: string; prefix: string; revokedAt?: string | null; expiresAt?: string | null };

function keyState(k: Key): 'active' | 'revoked' | 'expired' {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

export function ApiKeysSection() {
  const { me } = useWorkspace();
  const notify = useNotify();
  const client = useClient();
  const isAdmin = me.role === 'ADMIN';
  const roles = rolesUpTo(me.role);
  const [keys, refetch] = useQuery({ query: ApiKeysQuery, requestPolicy: 'cache-and-network' });
  const [, revoke] = useMutation(RevokeApiKeyMutation);
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleName>(roles.includes('VIEWER') ? 'VIEWER' : (roles[0] ?? 'VIEWER'));
  const [personal, setPersonal] = useState(!isAdmin);
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The secret lives here only while its dialog is open (never in urql's state: the mutation runs on the client directly).
  const [secret, setSecret] = useState<{ name: string; prefix: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<Key | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const workspaceKeyReason = cannotAdminister(me.role, 'A workspace key (not acting as you)');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined;
    const r = await client
      .mutation(CreateApiKeyMutation, { input: { name: name.trim(), role, personal, expiresAt } }, { requestPolicy: 'network-only' })
      .toPromise();
    setBusy(false);
    if (r.error || !r.data) return setError(explainError(r.error) ?? 'The key was not created.');
    setSecret({ name: r.data.createApiKey.apiKey.name, prefix: r.data.createApiKey.apiKey.prefix, key: r.data.createApiKey.key });
    setName('');
    setExpires('');
    reload();
  }

  const list = keys.data?.apiKeys ?? [];
  return (
    <>
      <form className="card admin-form" onSubmit={(e) => void submit(e)} aria-labelledby="key-title">
        <h3 id="key-title" className="small-title">
          Create an API key
        </h3>
        <div className="form-row">
          <label className="field grow">
            <span>Name</span>
            <input
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. checkout-service production"
              autoComplete="off"
            />
          </label>
          <label className="field">
            <span>Role</span>
            <RoleSelect value={role} onChange={setRole} roles={roles} />
          </label>
          <label className="field">
            <span>Expires (optional)</span>
            <input type="date" value={expires} min={new Date().toISOString().slice(0, 10)} onChange={(e) => setExpires(e.target.value)} />
          </label>
        </div>
        <fieldset className="kind">
          <legend>Acts as</legend>
          <label className="toggle">
            <input
              type="radio"
              name="kind"
              checked={!personal}
              disabled={!isAdmin}
              onChange={() => setPersonal(false)}
              aria-describedby="workspace-key-reason"
            />
            The workspace (its own name in history; for a service)
          </label>
          <label className="toggle">
            <input type="radio" name="kind" checked={personal} onChange={() => setPersonal(true)} />
            You (named after you in history, never above your role)
          </label>
          <Reason id="workspace-key-reason" text={workspaceKeyReason} />
        </fieldset>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary" disabled={busy || !name.trim() || roles.length === 0}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </form>

      <h3 className="small-title">{isAdmin ? 'Keys of this workspace' : 'Your keys'}</h3>
      <AdminTable
        result={keys}
        what="keys"
        retry={reload}
        rowCount={list.length}
        empty="No keys yet. Create one above for a service or a script."
        testId="api-keys"
        columns={['Name', 'Key', 'Role', 'Last used', 'Created']}
      >
        {list.map((k) => {
          const state = keyState(k);
          return (
            <tr key={k.id} data-testid="key-row" data-name={k.name} className={state === 'active' ? '' : 'inactive'}>
              <td data-label="Name">
                <strong>{k.name}</strong>
                {state !== 'active' && <span className="badge muted">{state}</span>}
                {k.expiresAt && state === 'active' && <div className="desc">expires {formatDateTime(k.expiresAt)}</div>}
              </td>
              <td data-label="Key">
                <code>{k.prefix}…</code>
              </td>
              <td data-label="Role">{k.role ?? (k.scopes.join(', ') || '—')}</td>
              <td data-label="Last used">{k.lastUsedAt ? formatAgo(k.lastUsedAt) : 'never'}</td>
              <td data-label="Created">
                {formatAgo(k.createdAt)}
                {k.createdBy && <div className="desc">by {k.createdBy.name}</div>}
              </td>
              <td className="row-actions" data-label="">
                {state === 'active' && (
                  <button type="button" className="btn small danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </AdminTable>

      {secret && (
        <Dialog title={`Your new key “${secret.name}”`} onClose={() => setSecret(null)}>
          <ShownOnce
            label="Secret key"
            value={secret.key}
            testId="api-key-secret"
            warning="Store it now (a secret manager, your service's environment): only a hash is kept, so nobody can show it to you later. Lost it? Revoke it and create another."
          />
          <p className="muted small">
            Send it as <code>Authorization: Bearer …</code>. The list shows it as <code>{secret.prefix}…</code>.
          </p>
          <div className="dialog-actions">
            <button type="button" className="btn primary" onClick={() => setSecret(null)}>
              I stored it, close
            </button>
          </div>
        </Dialog>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke key"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            const r = await revoke({ id: revoking.id });
            if (r.error) return explainError(r.error) ?? 'Not revoked.';
            notify(`${revoking.name} was revoked`);
            reload();
            return null;
          }}
        >
          <p>
            Every request with <code>{revoking.prefix}…</code> is refused at once, on every server. Services still using it stop working: give them a new key
            first. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
