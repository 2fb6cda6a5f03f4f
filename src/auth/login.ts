import type { Context } from 'hono';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/db.js';
import { clientAddress } from '../platform/http/client-address.js';
import { Problem, problems } from '../platform/http/problem.js';
import { hashPassword, verifyPassword } from './password.js';
import { findStaffForLogin, type Staff } from './staff.js';
import { accountKey, addressKey, clearFailures, lockedFor, recordFailure } from './throttle.js';

// An unknown (or disabled) email is checked against this hash, so a wrong email costs what a
// wrong password costs: the time of an answer no longer says which emails have accounts.
let dummyHash: Promise<string> | undefined;
const dummy = () => {
  dummyHash ??= hashPassword('not a real password, only a timing twin');
  return dummyHash;
};

export const tooManyAttempts = (seconds: number) =>
  new Problem(
    429,
    'too-many-attempts',
    'Too many failed logins',
    `Too many failed logins for this account or from this address; try again in ${seconds} seconds (Retry-After).`,
    { retryAfter: seconds },
  );

/**
 * Checks a login: locked account or address → 429 (before the password is looked at, so a
 * locked account cannot be probed); wrong email or password → 401 and one more failure
 * against both; success clears the account's failures.
 */
export async function login(c: Context, db: Db, config: Config, email: string, password: string): Promise<Staff> {
  const keys = [accountKey(email), addressKey(clientAddress(c, config.TRUST_PROXY))];
  const wait = await lockedFor(db, keys);
  if (wait > 0) throw tooManyAttempts(wait);
  const staff = await findStaffForLogin(db, email);
  const ok = await verifyPassword(password, staff?.password_hash ?? (await dummy()));
  if (!staff || !ok) {
    const window = config.LOGIN_WINDOW_MINUTES;
    await recordFailure(db, keys[0] as string, config.LOGIN_MAX_FAILURES_PER_ACCOUNT, window);
    await recordFailure(db, keys[1] as string, config.LOGIN_MAX_FAILURES_PER_ADDRESS, window);
    throw problems.badCredentials();
  }
  await clearFailures(db, keys[0] as string);
  const { password_hash: _, ...out } = staff;
  return out;
}

/** Secure unless told otherwise, except over plain http to this machine (local development). */
export function secureCookie(config: Config, url: string): boolean {
  if (config.COOKIE_SECURE !== undefined) return config.COOKIE_SECURE;
  const u = new URL(url);
  return !(u.protocol === 'http:' && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(u.hostname));
}
