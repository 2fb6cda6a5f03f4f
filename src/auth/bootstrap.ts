import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/db.js';
import { passwordProblem } from './password-policy.js';
import { countStaff, createStaff } from './staff.js';
import { randomToken } from './tokens.js';

/**
 * On the very first start there is nobody to log in as: create an admin, from ADMIN_EMAIL /
 * ADMIN_PASSWORD or with a generated password that is shown once (never logged).
 */
export async function ensureFirstAdmin(
  db: Db,
  config: Pick<Config, 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>,
  print: (text: string) => void,
): Promise<{ email: string; generated: boolean } | undefined> {
  if ((await countStaff(db)) > 0) return undefined;
  const email = config.ADMIN_EMAIL ?? 'admin@sanad.local';
  const password = config.ADMIN_PASSWORD ?? randomToken(15);
  const weak = passwordProblem(password, email);
  if (weak) throw new Error(`ADMIN_PASSWORD ${weak}; set a stronger one`);
  await createStaff(db, { email, name: 'Administrator', role: 'admin', password });
  if (!config.ADMIN_PASSWORD) {
    print(
      `\n  First start: an admin account was created. These credentials are shown only once:\n` +
        `    email:    ${email}\n    password: ${password}\n  Log in at /v1/auth/login and create staff accounts.\n`,
    );
  }
  return { email, generated: !config.ADMIN_PASSWORD };
}
