/**
 * Failures inside MCP sessions (a tool's isError result, a JSON-RPC error) where an operator sees them: counted by
 * code for GET /metrics (`mcp_errors_total{code}`, like `db_failures_total{class}`), and logged as GraphQL's are: a
 * database failure through the failure monitor, an unexpected error at error with its stack and the request id, the
 * caller's own (NOT_FOUND, FORBIDDEN, BAD_USER_INPUT…) at debug.
 */
import { domainErrorOf, type DbFailureMonitor } from '../db/failures';
import type { DomainError } from '../errors';
import type { Logger } from '../logger';
import { createCodeCounter } from '../shared/code-counter';

/** Which request failed: its id (matched with the caller's report), the MCP method and the tool if any. */
export type McpCall = { requestId: string; method: string; tool?: string };

export type McpFailures = ReturnType<typeof createMcpFailures>;

export function createMcpFailures(deps: { logger: Logger; dbFailures?: Pick<DbFailureMonitor, 'report'> }) {
  const counts = createCodeCounter('mcp_errors_total');

  /** Counts and logs `err`; returns the domain error behind it, or null for an unexpected one (INTERNAL_SERVER_ERROR). */
  function record(err: unknown, call: McpCall): DomainError | null {
    const known = domainErrorOf(err);
    const code = known?.code ?? 'INTERNAL_SERVER_ERROR';
    counts.add(code);
    const fields = { ...call, code };
    if (deps.dbFailures?.report(err, deps.logger, fields)) return known;
    if (!known) {
      const e = err instanceof Error ? err : new Error(String(err));
      deps.logger.error({ ...fields, err: { message: e.message, stack: e.stack } }, 'unexpected error');
    } else deps.logger.debug({ ...fields, message: known.message }, 'mcp error');
    return known;
  }

  return { record, lines: counts.lines };
}
