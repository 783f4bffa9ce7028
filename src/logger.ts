/** Structured JSON logs (pino). Modules take `logger.child({ module })`; keys are redacted. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'prompt-service' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: no code path logs a key, and these paths are masked if one ever tries.
      redact: { paths: ['authorization', 'headers.authorization', 'key', 'apiKey', 'secret', '*.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}
