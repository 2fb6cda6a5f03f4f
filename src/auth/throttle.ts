import type { Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';

/**
 * Failed-login throttling, by account and by client address. A key reaching its limit within
 * the window is locked for the window; the caller is told when to come back (Retry-After).
 * Counts live in the database so every API process enforces the same limit.
 */
export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowMinutes: number;
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

/** Seconds until the latest lock among `keys` ends, or 0 when none is locked. */
export async function lockedFor(db: Queryable, keys: string[]): Promise<number> {
  const row = await one<{ seconds: number | null }>(
    db,
    `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds
     FROM login_throttle WHERE key = ANY($1::text[]) AND locked_until > now()`,
    [keys],
  );
  return Math.max(0, row?.seconds ?? 0);
}

/** Counts one failure against `key`; a new window starts when the last one has passed. */
export async function recordFailure(db: Queryable, key: string, limit: number, windowMinutes: number): Promise<void> {
  await db.query(
    `INSERT INTO login_throttle AS t (key, failures, window_started, locked_until)
     VALUES ($1, 1, now(), CASE WHEN 1 >= $2 THEN now() + make_interval(mins => $3) END)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.window_started < now() - make_interval(mins => $3) THEN 1 ELSE t.failures + 1 END,
       window_started = CASE WHEN t.window_started < now() - make_interval(mins => $3) THEN now() ELSE t.window_started END,
       locked_until = CASE
         WHEN (CASE WHEN t.window_started < now() - make_interval(mins => $3) THEN 1 ELSE t.failures + 1 END) >= $2
         THEN now() + make_interval(mins => $3) ELSE t.locked_until END`,
    [key, limit, windowMinutes],
  );
}

/** A successful login forgets the account's failures (the address keeps its count). */
export async function clearFailures(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}
