import type { Context } from 'hono';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../auth/middleware.js';
import { principalForSession } from '../../auth/sessions.js';
import { llmConfigured } from '../../platform/config.js';
import type { AppEnv } from '../../platform/http/env.js';
import { scriptBundle, serveBundle } from '../../platform/http/script-bundle.js';
import type { Platform } from '../../platform/module.js';
import { projectPath } from '../../platform/paths.js';
import { pageNonce } from '../csp.js';
import { ConversationPage, LoginPage, type Me, QueuePage } from './pages.js';
import type { ConsoleLocale } from './strings.js';

const LOCALE_COOKIE = 'sanad_console_locale';
const AGENT_ROLES = new Set(['agent', 'supervisor', 'admin']);

const consoleBundle = scriptBundle(projectPath('src/web/console-client/main.ts'));

/** `?locale=` when given (and remembered in a cookie), else the remembered one, else Arabic. */
function localeOf(c: Context): ConsoleLocale {
  const asked = c.req.query('locale');
  if (asked === 'ar' || asked === 'en') {
    setCookie(c, LOCALE_COOKIE, asked, { path: '/console', sameSite: 'Lax', maxAge: 365 * 86400 });
    return asked;
  }
  return getCookie(c, LOCALE_COOKIE) === 'en' ? 'en' : 'ar';
}

/** Only paths inside the console are followed after signing in: never another site. */
export const safeNext = (next: string | undefined) =>
  next && /^\/console(\/|\?|$)/.test(next) && !next.includes('//') && !next.includes('\\') ? next : '/console';

const text = (q: string | undefined, max = 100) => (q && q.length <= max ? q : undefined);

/**
 * The agent console's pages: a server-rendered shell per page, made live by /console/app.js
 * on the same JSON API and feed any integration uses. Signed-out visitors go to the login page.
 */
export function consoleRoutes(platform: Platform) {
  const { db } = platform;
  const app = new Hono<AppEnv>();

  async function signedIn(c: Context<AppEnv>): Promise<Me | 'not-an-agent' | undefined> {
    const token = getCookie(c, SESSION_COOKIE);
    const principal = token ? await principalForSession(db, token) : undefined;
    if (!principal) return undefined;
    if (!AGENT_ROLES.has(principal.role)) return 'not-an-agent';
    const [row] = await db.query<{ available: boolean }>('SELECT available FROM staff WHERE id = $1', [principal.id]);
    return { id: principal.id, name: principal.name, available: Boolean(row?.available) };
  }

  const toLogin = (c: Context<AppEnv>, locale: ConsoleLocale, why: 'not-an-agent' | undefined) => {
    const url = new URL(c.req.url);
    url.searchParams.delete('locale');
    const next = `${url.pathname}${url.search}`;
    const notice = why ? '&notice=not-an-agent' : '';
    return c.redirect(`/console/login?locale=${locale}&next=${encodeURIComponent(next)}${notice}`, 302);
  };

  app.use('/console/*', async (c, next) => {
    await next();
    // Pages with a person's work on them: never kept by a shared cache or the back button after sign-out.
    if (c.res.headers.get('content-type')?.startsWith('text/html')) c.header('cache-control', 'no-store');
  });

  app.get('/console/app.js', compress(), (c) => serveBundle(c, consoleBundle));

  app.get('/console/login', (c) => {
    const locale = localeOf(c);
    const notice = c.req.query('notice') === 'not-an-agent' ? 'not-an-agent' : undefined;
    return c.html(LoginPage({ locale, nonce: pageNonce(c), next: safeNext(c.req.query('next')), notice }));
  });

  app.get('/console', async (c) => {
    const locale = localeOf(c);
    const me = await signedIn(c);
    if (!me || me === 'not-an-agent') return toLogin(c, locale, me);
    const teams = await db.query<{ team: string }>(
      `SELECT team FROM staff WHERE team IS NOT NULL UNION SELECT team FROM conversations WHERE team IS NOT NULL
       UNION SELECT $1::text ORDER BY team`,
      [platform.config.DEFAULT_TEAM],
    );
    const q = c.req.query();
    return c.html(
      QueuePage({
        locale,
        nonce: pageNonce(c),
        me,
        teams: teams.map((t) => t.team),
        query: { team: text(q.team), channel: text(q.channel), lang: text(q.lang), view: text(q.view) },
      }),
    );
  });

  app.get('/console/conversations/:id', async (c) => {
    const locale = localeOf(c);
    const me = await signedIn(c);
    if (!me || me === 'not-an-agent') return toLogin(c, locale, me);
    return c.html(
      ConversationPage({
        locale,
        nonce: pageNonce(c),
        me,
        conversationId: c.req.param('id'),
        translation: llmConfigured(platform.config),
      }),
    );
  });

  return app;
}
