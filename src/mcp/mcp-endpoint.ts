/**
 * `POST /mcp` (and GET for the notification stream, DELETE to end a session): MCP over Streamable HTTP, one
 * session per `initialize`, bound to the API key that opened it. Every request authenticates its
 * `Authorization: Bearer <key>` again (revoked keys stop at once); a session cannot be used with another key.
 * `promptChanged` events of the session's workspace become `notifications/prompts/list_changed`.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { httpErrorOf } from '../shared/http-errors';
import type { Logger } from '../logger';
import type { DomainServices } from '../services';
import type { RequestScope } from '../shared/request-scope';
import type { McpFailures } from './mcp-failures';
import { createMcpServer } from './mcp-server';

export const MCP_PATH = '/mcp';
const MAX_SESSIONS = 1_000;

type Session = { transport: StreamableHTTPServerTransport; server: Server; principalId: string; workspaceId: string; scope: RequestScope };

export type McpDeps = {
  services: DomainServices;
  logger: Logger;
  /** Counts and logs the failures inside sessions (GET /metrics `mcp_errors_total`). */
  failures: McpFailures;
  /** The caller of this request (throws UNAUTHENTICATED, RATE_LIMITED…), as GraphQL authenticates it. */
  authenticate: (req: http.IncomingMessage, requestId: string, ip: string) => Promise<RequestScope>;
};

export type McpEndpoint = ReturnType<typeof createMcpEndpoint>;

function sendJson(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    ...headers,
  });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message, data: { code } } }));
}

export function createMcpEndpoint(deps: McpDeps) {
  const sessions = new Map<string, Session>();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown, requestId: string): Promise<void> {
    // API keys only: a browser's session cookie must not open an agent channel (no CSRF surface here).
    if (!/^Bearer\s+\S/i.test(req.headers.authorization ?? ''))
      return sendJson(res, 401, 'UNAUTHENTICATED', 'MCP needs an API key: send "Authorization: Bearer <key>".');
    let scope: RequestScope;
    try {
      scope = await deps.authenticate(req, requestId, req.socket.remoteAddress ?? 'unknown');
    } catch (err) {
      const known = httpErrorOf(err, 403);
      if (!known) throw err;
      return sendJson(res, known.status, known.error.code, known.error.message, known.headers);
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return sendJson(res, 404, 'NOT_FOUND', 'No such MCP session (it ended or the server restarted): initialize again.');
      if (session.principalId !== scope.principal.id) return sendJson(res, 403, 'FORBIDDEN', 'This MCP session belongs to another key.');
      session.scope = scope;
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body))
      return sendJson(res, 400, 'BAD_REQUEST', 'Start with an initialize request (no Mcp-Session-Id header yet).');
    if (sessions.size >= MAX_SESSIONS) return sendJson(res, 503, 'UNAVAILABLE', 'Too many MCP sessions on this instance; retry later.');

    const session = { principalId: scope.principal.id, workspaceId: scope.principal.workspaceId, scope } as Session;
    session.transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, session),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    session.transport.onclose = () => {
      if (session.transport.sessionId) sessions.delete(session.transport.sessionId);
    };
    session.server = createMcpServer(deps.services, () => session.scope, deps.failures);
    await session.server.connect(session.transport);
    await session.transport.handleRequest(req, res, body);
  }

  /** A change to any prompt of a workspace changes its prompt list (names, arguments or rendering). */
  function onPromptChanged(workspaceId: string): void {
    for (const s of sessions.values()) {
      if (s.workspaceId !== workspaceId) continue;
      s.server
        .sendPromptListChanged()
        .catch((err: unknown) => deps.logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'mcp: list-changed not sent'));
    }
  }

  /** Ends every session (their notification streams would otherwise hold the HTTP drain at shutdown). */
  async function close(): Promise<void> {
    await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
    sessions.clear();
  }

  return { handle, onPromptChanged, close, sessionCount: () => sessions.size };
}
