/** Exit codes of `prompt-service` and the error that carries one. */
export const EXIT = {
  OK: 0,
  /** check found a problem, push hit a CONFLICT or refused a breaking change */
  FAILED: 1,
  /** wrong arguments, a missing PROMPT_SERVICE_URL/KEY, an unreadable file */
  USAGE: 2,
  /** the server could not be reached or refused the request (auth, permissions, bad input) */
  SERVER: 3,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code: string = exitCode === EXIT.USAGE ? 'USAGE' : exitCode === EXIT.SERVER ? 'SERVER_ERROR' : 'FAILED',
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
