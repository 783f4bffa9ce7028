/** The signed-in person and the workspace being looked at, for every view below the shell. */
import { createContext, useContext } from 'react';
import type { Me } from './api/session';
import type { SocketState } from './api/client';

export type WorkspaceState = {
  me: Me;
  workspaceId: string;
  socket: SocketState;
  /** How many times the socket came back after being lost (views refetch on each: see useResync). */
  reconnects: number;
  switchWorkspace(id: string): void;
  signOut(): Promise<void>;
};

export const WorkspaceContext = createContext<WorkspaceState | null>(null);

export function useWorkspace(): WorkspaceState {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace outside the signed-in app');
  return value;
}
