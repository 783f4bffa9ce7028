/** The authenticated caller (an API key, or a person's session); the workspace always comes from here. */
import type { Role, Scope } from './roles';

/** The person behind a principal: signed in with a session cookie, or using their own API key. */
export type PrincipalUser = { id: string; email: string; name: string };

export type Principal = {
  /** API key id; for a session, the person's user id. */
  id: string;
  name: string;
  workspaceId: string;
  role: Role | null;
  scopes: Scope[];
  isInstanceAdmin: boolean;
  /** The person, for a session or a person's own key; null for a workspace (service) key. */
  user?: PrincipalUser | null;
  /** The browser session, when authenticated by cookie. */
  sessionId?: string | null;
};

/** The actor recorded in history and audit: the person where there is one, else the key. */
export type Actor = { id: string | null; name: string; email?: string | null };

export function actorOf(principal: Principal): Actor {
  if (principal.user) return { id: principal.user.id, name: principal.user.name, email: principal.user.email };
  return { id: principal.id, name: principal.name };
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };
