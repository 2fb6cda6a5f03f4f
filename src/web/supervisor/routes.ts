import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../auth/middleware.js';
import { principalForSession } from '../../auth/sessions.js';
import type { AppEnv } from '../../platform/http/env.js';
import { Problem } from '../../platform/http/problem.js';
import type { Platform } from '../../platform/module.js';
import { decodeCursor, encodeCursor, handoffScopeOf, REPORT_ROLES, reports, scopeOf } from '../../reporting/index.js';
import { ContainedPage } from './contained-page.js';
import { type PageQuery, reportQuery } from './filters.js';
import { HandoffsPage } from './handoffs-page.js';
import { KpiPage } from './kpi-page.js';
import { type Locale, stringsFor } from './strings.js';
import { MessagePage, TranscriptPage } from './transcript-page.js';

// The console's language cookie: one choice for the agent, editor and supervisor pages.
const LOCALE_COOKIE = 'sanad_console_locale';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_ROWS = 50;

function localeOf(c: Context): Locale {
  const asked = c.req.query('locale');
  if (asked === 'ar' || asked === 'en') {
    setCookie(c, LOCALE_COOKIE, asked, { path: '/console', sameSite: 'Lax', maxAge: 365 * 86400 });
    return asked;
  }
  return getCookie(c, LOCALE_COOKIE) === 'en' ? 'en' : 'ar';
}

/** The page's own styles run under its nonce; no script runs at all, and nothing may frame it. */
function nonceFor(c: Context): string {
  const nonce = randomBytes(16).toString('base64');
  c.header(
    'content-security-policy',
    `default-src 'self'; script-src 'none'; style-src 'nonce-${nonce}'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
  );
  c.header('cache-control', 'no-store');
  return nonce;
}

/** Text inputs from the address bar, cut to what a filter can hold (the report API checks the rest). */
function pageQuery(c: Context): PageQuery {
  const out: PageQuery = {};
  for (const [k, v] of Object.entries(c.req.query())) if (typeof v === 'string' && v.length <= 100) out[k] = v;
  return out;
}

/**
 * The supervisor dashboard's pages under /console/supervisor, signed in with the console's
 * session (POST /v1/auth/login); supervisors and admins only. Each page reads the same report
 * functions as the JSON API.
 */
export function supervisorRoutes(platform: Platform) {
  const { db } = platform;
  const service = reports(platform);
  const app = new Hono<AppEnv>();

  async function signedIn(c: Context<AppEnv>) {
    const token = getCookie(c, SESSION_COOKIE);
    return token ? principalForSession(db, token) : undefined;
  }

  /** The signed-in supervisor, or the response to send instead (the login page, or a refusal). */
  async function gate(c: Context<AppEnv>, locale: Locale) {
    const me = await signedIn(c);
    if (!me) {
      const url = new URL(c.req.url);
      const next = `${url.pathname}${url.search}`;
      return { response: c.redirect(`/console/login?locale=${locale}&next=${encodeURIComponent(next)}`, 302) };
    }
    if (!REPORT_ROLES.includes(me.role)) {
      const t = stringsFor(locale);
      return {
        response: c.html(
          MessagePage({ locale, nonce: nonceFor(c), path: c.req.path, me: me.name, title: t.area, text: t.forbidden }),
          403,
        ),
      };
    }
    return { me };
  }

  async function choices() {
    const [teams, channels] = await Promise.all([
      db.query<{ team: string }>(
        `SELECT team FROM handoffs UNION SELECT team FROM conversations WHERE team IS NOT NULL
         UNION SELECT team FROM staff WHERE team IS NOT NULL ORDER BY team LIMIT 200`,
      ),
      db.query<{ channel: string }>(
        "SELECT DISTINCT channel FROM conversations UNION SELECT unnest(ARRAY['widget', 'whatsapp', 'api']) ORDER BY 1",
      ),
    ]);
    return { teams: teams.map((r) => r.team), channels: channels.map((r) => r.channel) };
  }

  /** What every report page shows around its figures: the filter form's choices and the report's own query. */
  async function reportPage(c: Context<AppEnv>, locale: Locale, me: string, query: PageQuery) {
    const filters = reportQuery(query);
    const base = {
      locale,
      nonce: nonceFor(c),
      path: `${c.req.path}?${new URLSearchParams(query)}`,
      me,
      query,
      ...(await choices()),
    };
    return { base, filters, reportSearch: new URLSearchParams(filters).toString() };
  }

  const problemText = (error: unknown) => {
    if (error instanceof Problem && error.status === 400) return error.detail;
    throw error;
  };

  app.get('/console/supervisor', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if (gated.response) return gated.response;
    const query = pageQuery(c);
    const by = ['channel', 'team', 'lang'].includes(query.by ?? '')
      ? (query.by as 'channel' | 'team' | 'lang')
      : undefined;
    const { base, filters, reportSearch } = await reportPage(c, locale, gated.me.name, query);
    try {
      const scope = scopeOf(filters);
      const [report, threshold, alerts] = await Promise.all([
        service.kpis(scope, by),
        service.threshold(filters.period || filters.from ? scope : scopeOf({ ...filters, period: '30d' })),
        service.alerts(scope),
      ]);
      return c.html(KpiPage({ ...base, reportSearch, report, threshold, alerts }));
    } catch (error) {
      return c.html(KpiPage({ ...base, reportSearch, error: problemText(error) }), 400);
    }
  });

  app.get('/console/supervisor/handoffs', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if (gated.response) return gated.response;
    const query = pageQuery(c);
    const { base, filters, reportSearch } = await reportPage(c, locale, gated.me.name, query);
    try {
      const scope = handoffScopeOf(filters as Parameters<typeof handoffScopeOf>[0]);
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const page = await service.handoffLog(scope, { limit: PAGE_ROWS, after });
      return c.html(
        HandoffsPage({
          ...base,
          reportSearch,
          entries: page.entries,
          nextCursor: page.next ? encodeCursor(page.next) : null,
        }),
      );
    } catch (error) {
      return c.html(HandoffsPage({ ...base, reportSearch, error: problemText(error) }), 400);
    }
  });

  app.get('/console/supervisor/contained', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if (gated.response) return gated.response;
    const query = pageQuery(c);
    const nonce = nonceFor(c);
    const path = `${c.req.path}?${new URLSearchParams(query)}`;
    try {
      const listed = await service.contained(scopeOf(reportQuery(query)), { limit: 500, offset: 0 });
      return c.html(ContainedPage({ locale, nonce, path, me: gated.me.name, ...listed }));
    } catch (error) {
      const t = stringsFor(locale);
      return c.html(
        MessagePage({ locale, nonce, path, me: gated.me.name, title: t.badPeriod, text: problemText(error) }),
        400,
      );
    }
  });

  app.get('/console/supervisor/conversations/:id', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if (gated.response) return gated.response;
    const id = c.req.param('id');
    const transcript = UUID.test(id) ? await service.transcript(id) : undefined;
    const nonce = nonceFor(c);
    const path = c.req.path;
    if (!transcript) {
      const t = stringsFor(locale);
      return c.html(
        MessagePage({ locale, nonce, path, me: gated.me.name, title: t.transcript, text: t.notFound }),
        404,
      );
    }
    return c.html(TranscriptPage({ locale, nonce, path, me: gated.me.name, transcript }));
  });

  return app;
}
