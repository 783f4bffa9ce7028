/** Process entry: loadConfig → createApp → listen; SIGTERM/SIGINT → app.stop() within the shutdown bound. */
import './runtime-mode';
import { createApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { installProcessGuard } from './process-guard';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger });
  installProcessGuard({ logger, stop: () => app.stop(), shutdownTimeoutMs: config.shutdownTimeoutMs });
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
