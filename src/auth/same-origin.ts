import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Config } from '../platform/config.js';
import type { AppEnv } from '../platform/http/env.js';
import { Problem } from '../platform/http/problem.js';
import { SESSION_COOKIE } from './middleware.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Signing in and out change who the browser is: another site must not do either for it.
const SESSION_PATHS = new Set(['/v1/auth/login', '/v1/auth/logout']);

/**
 * Cross-site request forgery: a browser sends the console's session cookie with any request to
 * this service, even one another page started (SameSite=Lax still lets a page on the same site,
 * such as another port or subdomain, post a form). A change made with the cookie must come from
 * this service's own pages: the browser's Sec-Fetch-Site says so, or else its Origin is this
 * service's (or one of CORS_ORIGINS). Bearer credentials are never sent by a browser on its own,
 * and a request with neither header is no browser's, so those are not judged.
 */
export function sameOriginWrites(config: Config) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (c.req.header('authorization') || c.req.header('x-api-key')) return next();
    if (!getCookie(c, SESSION_COOKIE) && !SESSION_PATHS.has(c.req.path)) return next();
    if (crossSite(config, c.req.url, c.req.header('sec-fetch-site'), c.req.header('origin'))) {
      throw new Problem(
        403,
        'cross-site-request',
        'A request from another site cannot change anything here',
        "Changes made with a console session must come from this service's own pages; another site's form or script cannot make them.",
      );
    }
    return next();
  });
}

export function crossSite(
  config: Config,
  requestUrl: string,
  fetchSite: string | undefined,
  origin: string | undefined,
): boolean {
  const own = [new URL(requestUrl).origin, config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : undefined];
  if (origin && (own.includes(origin) || config.CORS_ORIGINS.includes(origin))) return false;
  // 'none': the user's own action (a bookmark, the address bar), never another page's.
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  return origin !== undefined;
}
