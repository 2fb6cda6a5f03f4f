import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Db } from '../platform/db/db.js';
import type { AppEnv } from '../platform/http/env.js';
import { Problem, problems } from '../platform/http/problem.js';
import { principalForApiKey } from './api-keys.js';
import type { Role } from './roles.js';
import { principalForSession } from './sessions.js';

export const SESSION_COOKIE = 'sanad_session';

/** Finds who is calling (session cookie or API key); routes then decide what they admit. */
export function authenticate(db: Db) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? c.req.header('x-api-key');
    if (bearer) {
      const principal = await principalForApiKey(db, bearer.trim());
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

/** 401 without a principal, 403 (and no data) with a role the route does not admit. */
export function requireRoles(roles: readonly Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw problems.unauthenticated();
    if (!roles.includes(principal.role)) throw problems.forbidden(roles, principal.role);
    await next();
  });
}
