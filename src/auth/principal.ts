/** The authenticated caller, derived from an API key; the workspace always comes from here. */
import type { Role, Scope } from './roles';

export type Principal = {
  /** API key id. */
  id: string;
  name: string;
  workspaceId: string;
  role: Role | null;
  scopes: Scope[];
  isInstanceAdmin: boolean;
};

/** The actor recorded in history and audit. */
export type Actor = { id: string | null; name: string };

export function actorOf(principal: Principal): Actor {
  return { id: principal.id, name: principal.name };
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };
