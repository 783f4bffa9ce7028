/**
 * graphql-ws answers a client frame of a type only the server sends (`next`, `error`, `connection_ack`) by
 * throwing; its ws adapter turns that into 4500 "Internal server error" and a console.error: bad input reported
 * as our bug. Such a frame is refused here with 4400 before graphql-ws sees it. Client frames are few and small
 * (init, subscribe, complete, ping), so parsing each one once more costs nothing that matters.
 */
import type { WebSocket } from 'ws';

const SERVER_ONLY = new Set(['next', 'error', 'connection_ack']);

/** The frame's type when it is one a client must not send; null for anything else (graphql-ws judges the rest). */
export function serverOnlyType(data: unknown): string | null {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : typeof data === 'string' ? data : null;
  if (text === null) return null;
  try {
    const m: unknown = JSON.parse(text);
    const type = m !== null && typeof m === 'object' ? (m as { type?: unknown }).type : undefined;
    return typeof type === 'string' && SERVER_ONLY.has(type) ? type : null;
  } catch {
    return null;
  }
}

/** Installs the check on a socket before graphql-ws attaches its own message listener. */
export function refuseServerOnlyFrames(socket: WebSocket, refuse: (type: string) => void): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'message') {
      const type = serverOnlyType(args[0]);
      if (type) {
        refuse(type);
        return true;
      }
    }
    return emit(event, ...args);
  }) as typeof socket.emit;
}
