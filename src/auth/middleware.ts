import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/db.js';
import type { AppEnv } from '../platform/http/env.js';
import { originAllowed } from '../platform/http/origins.js';
import { Problem } from '../platform/http/problem.js';
import { principalForApiKey } from './api-keys.js';
import { CUSTOMER_TOKEN_PREFIX, customerForToken } from './customer-tokens.js';
import { principalForSession } from './sessions.js';

export const SESSION_COOKIE = 'sanad_session';

/** Finds who is calling (session cookie, API key or customer token); routes then decide what they admit. */
export function authenticate(db: Db, config: Config) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = (header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? c.req.header('x-api-key'))?.trim();
    if (bearer?.startsWith(CUSTOMER_TOKEN_PREFIX)) {
      const customer = await customerForToken(db, bearer);
      if (!customer)
        throw new Problem(
          401,
          'invalid-customer-token',
          'The customer token is not valid',
          'The token is unknown, revoked or expired; start a new chat to get a new one.',
        );
      // A customer's token works only from the pages allowed to hold it: a token copied into
      // another site's page gets nothing there.
      if (!originAllowed(config, c.req.url, c.req.header('origin'))) {
        throw new Problem(
          403,
          'origin-not-allowed',
          'This site may not use the chat',
          'The page calling is not among WIDGET_ALLOWED_ORIGINS; an administrator can add its origin.',
        );
      }
      c.set('customer', customer);
    } else if (bearer) {
      const principal = await principalForApiKey(db, bearer);
      if (!principal)
        throw new Problem(
          401,
          'invalid-api-key',
          'The API key is not valid',
          'The key is unknown or revoked; create a new one.',
        );
      c.set('principal', principal);
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) {
        const principal = await principalForSession(db, token);
        if (principal) c.set('principal', principal);
      }
    }
    await next();
  });
}
