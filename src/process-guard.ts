/**
 * Last resort for exceptions nothing caught. An uncaught exception leaves the process in an unknown
 * state: log it, stop in order (readiness off, drain, flush, close) within the shutdown bound and
 * exit 70 (EX_SOFTWARE) for the supervisor to restart — rather than dying in the middle of a write.
 * An unhandled rejection leaves no state half-changed (nobody awaited that promise): log and count it.
 */
import type { Logger } from './logger';

export type ProcessGuard = { unhandledRejections(): number; uninstall(): void };

export const UNCAUGHT_EXIT_CODE = 70;

export function installProcessGuard(opts: {
  logger: Logger;
  stop: () => Promise<void>;
  shutdownTimeoutMs: number;
  exit?: (code: number) => void;
}): ProcessGuard {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let rejections = 0;
  let exiting = false;
  const onException = (err: unknown, origin: string) => {
    opts.logger.fatal({ err, origin, cause: errorCause(err) }, 'uncaught exception: stopping for the supervisor to restart');
    if (exiting) return;
    exiting = true;
    const force = setTimeout(() => exit(UNCAUGHT_EXIT_CODE), opts.shutdownTimeoutMs);
    force.unref();
    opts.stop().finally(() => exit(UNCAUGHT_EXIT_CODE));
  };
  const onRejection = (reason: unknown) => {
    rejections++;
    opts.logger.error({ err: reason, cause: errorCause(reason) }, 'unhandled promise rejection (contained)');
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    unhandledRejections: () => rejections,
    uninstall() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}

function errorCause(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
