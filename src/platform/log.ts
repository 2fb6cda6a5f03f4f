import pino, { type Logger } from 'pino';
import { redactDeep } from '../text/redact.js';

export type { Logger };

/**
 * Secrets are removed by path; personal data (phones, IDs, IBANs, cards, emails) is
 * redacted from every string a log line carries, so a careless `log.info({ text })` is safe.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'apiKey',
          '*.apiKey',
          'headers.authorization',
          'headers.cookie',
          '*.headers.authorization',
          '*.headers.cookie',
          'OPENAI_API_KEY',
          '*.OPENAI_API_KEY',
        ],
        censor: '[secret]',
      },
      formatters: {
        log: (object) => redactDeep(object) as Record<string, unknown>,
      },
    },
    destination,
  );
}
