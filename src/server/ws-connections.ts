/**
 * The live graphql-ws connections of this instance: per-key and per-workspace caps, and lookups to
 * close the sockets of one key (revocation) or of everyone (re-sync after lost events).
 */
import type { Principal } from '../auth/principal';
import type { Credentials } from '../people/credentials';

/** `credentials` are re-checked while the socket lives (revocation, expiry, role change). */
export type LiveConnection<S> = { socket: S; principal: Principal; credentials: Credentials; host?: string };

export type AdmitResult = 'ok' | 'key-cap' | 'workspace-cap';

export function createConnectionRegistry<S>(limits: { perKey: number; perWorkspace: number }) {
  const byKey = new Map<string, Set<LiveConnection<S>>>();
  const perWorkspace = new Map<string, number>();
  const all = new Set<LiveConnection<S>>();

  return {
    /** Registers the connection unless its key or workspace is at its cap. */
    admit(conn: LiveConnection<S>): AdmitResult {
      const { id, workspaceId } = conn.principal;
      const ofKey = byKey.get(id) ?? new Set();
      if (ofKey.size >= limits.perKey) return 'key-cap';
      if ((perWorkspace.get(workspaceId) ?? 0) >= limits.perWorkspace) return 'workspace-cap';
      ofKey.add(conn);
      byKey.set(id, ofKey);
      perWorkspace.set(workspaceId, (perWorkspace.get(workspaceId) ?? 0) + 1);
      all.add(conn);
      return 'ok';
    },
    remove(conn: LiveConnection<S>): void {
      if (!all.delete(conn)) return;
      const { id, workspaceId } = conn.principal;
      const ofKey = byKey.get(id);
      ofKey?.delete(conn);
      if (ofKey?.size === 0) byKey.delete(id);
      const n = (perWorkspace.get(workspaceId) ?? 1) - 1;
      if (n <= 0) perWorkspace.delete(workspaceId);
      else perWorkspace.set(workspaceId, n);
    },
    ofKey(keyId: string): LiveConnection<S>[] {
      return [...(byKey.get(keyId) ?? [])];
    },
    all(): LiveConnection<S>[] {
      return [...all];
    },
    size: () => all.size,
  };
}
