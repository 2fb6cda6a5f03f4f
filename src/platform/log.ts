import pino, { type Logger } from 'pino';
import { redactDeep } from '../text/redact.js';

export type { Logger };

// What an error may carry into a log line. Database drivers hang the failed statement and its
// parameters on their errors (PGlite: query, params; postgres.js: query, parameters, args), and
// Postgres' `detail`/`where` quote row values: a new account's password hash reached the log
// that way. So errors are copied field by field from this list, never spread.
const ERROR_FIELDS = [
  'name',
  'message',
  'stack',
  'code',
  'status',
  'statusCode',
  'type',
  'errno',
  'syscall',
  'severity',
  'constraint',
  'table',
  'table_name',
  'column',
  'column_name',
  'routine',
  'slug',
] as const;
const MAX_ERROR_DEPTH = 4;

/** An error as a plain object with only the listed fields (and its cause / inner errors). */
export function errorForLog(error: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = error as unknown as Record<string, unknown>;
  for (const key of ERROR_FIELDS) {
    const value = source[key];
    if (value !== undefined && (typeof value !== 'object' || value === null)) out[key] = value;
  }
  if (depth < MAX_ERROR_DEPTH) {
    if (error.cause !== undefined) out.cause = safeErrors(error.cause, depth + 1);
    if (Array.isArray(source.errors)) out.errors = source.errors.map((e) => safeErrors(e, depth + 1));
  }
  return out;
}

/** The log object with every Error in it (to a few levels) reduced by errorForLog. */
function safeErrors(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return errorForLog(value, depth);
  if (depth >= MAX_ERROR_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => safeErrors(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = safeErrors(v, depth + 1);
  return out;
}

/**
 * Secrets are removed by path; errors keep only their diagnostic fields (no SQL parameters);
 * personal data (phones, IDs, IBANs, cards, emails) is redacted from every string a log line
 * carries, so a careless `log.info({ text })` is safe.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'password',
          '*.password',
          'passwordHash',
          '*.passwordHash',
          'password_hash',
          '*.password_hash',
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
        log: (object) => redactDeep(safeErrors(object)) as Record<string, unknown>,
      },
    },
    destination,
  );
}
