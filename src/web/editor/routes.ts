import type { Context } from 'hono';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../auth/middleware.js';
import { principalForSession } from '../../auth/sessions.js';
import { draftFromGap, findKnowledgeGaps } from '../../editor/index.js';
import { autoAccepts, listPhrasings } from '../../editor/learned-phrasing.js';
import type { ArticleContent } from '../../knowledge/article.js';
import { getArticle, getVersion, listArticles, listVersions } from '../../knowledge/articles.js';
import type { AppEnv } from '../../platform/http/env.js';
import { scriptBundle, serveBundle } from '../../platform/http/script-bundle.js';
import type { Platform } from '../../platform/module.js';
import { projectPath } from '../../platform/paths.js';
import { pageNonce } from '../csp.js';
import { ArticlePage } from './article-page.js';
import { GapsPage } from './gaps-page.js';
import { HistoryPage } from './history-page.js';
import { ListPage, type ListQuery } from './list-page.js';
import { PhrasingPage } from './phrasing-page.js';
import { MessagePage } from './shell.js';
import { editorStrings, type Locale } from './strings.js';

// The console's language cookie: one choice for the agent, editor and supervisor pages.
const LOCALE_COOKIE = 'sanad_console_locale';
const EDITOR_ROLES = new Set(['editor', 'admin']);
const editorBundle = scriptBundle(projectPath('src/web/editor-client/main.ts'));

function localeOf(c: Context): Locale {
  const asked = c.req.query('locale');
  if (asked === 'ar' || asked === 'en') {
    setCookie(c, LOCALE_COOKIE, asked, { path: '/console', sameSite: 'Lax', maxAge: 365 * 86400 });
    return asked;
  }
  return getCookie(c, LOCALE_COOKIE) === 'en' ? 'en' : 'ar';
}

const short = (v: string | undefined, max = 200) => (v && v.length <= max ? v : undefined);

/**
 * The knowledge editor's pages under /console/editor, signed in with the console's session;
 * editors and admins. Pages read the same functions as the JSON API; the client script edits
 * through that API (save, publish, archive, restore, answer diff, learned phrasing).
 */
export function editorPages(platform: Platform) {
  const { db } = platform;
  const app = new Hono<AppEnv>();

  /** The signed-in editor's name, or the response to send instead (the login page, or a refusal). */
  async function gate(
    c: Context<AppEnv>,
    locale: Locale,
  ): Promise<{ me: string } | { response: Response | Promise<Response> }> {
    const token = getCookie(c, SESSION_COOKIE);
    const principal = token ? await principalForSession(db, token) : undefined;
    if (!principal) {
      const url = new URL(c.req.url);
      url.searchParams.delete('locale');
      const next = `${url.pathname}${url.search}`;
      return { response: c.redirect(`/console/login?locale=${locale}&next=${encodeURIComponent(next)}`, 302) };
    }
    if (!EDITOR_ROLES.has(principal.role)) {
      const text = editorStrings(locale).forbidden;
      return { response: c.html(MessagePage({ locale, nonce: pageNonce(c), path: c.req.path, text }), 403) };
    }
    return { me: principal.name };
  }

  app.use('/console/editor/*', async (c, next) => {
    await next();
    if (c.res.headers.get('content-type')?.startsWith('text/html')) c.header('cache-control', 'no-store');
  });
  app.use('/console/editor', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });

  app.get('/console/editor/app.js', compress(), (c) => serveBundle(c, editorBundle));

  app.get('/console/editor', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if ('response' in gated) return gated.response;
    const q = c.req.query();
    const query: ListQuery = {
      q: short(q.q)?.trim() || undefined,
      lang: q.lang === 'ar' || q.lang === 'en' ? q.lang : undefined,
      tag: short(q.tag, 60),
      team: short(q.team, 60),
      status: ['draft', 'published', 'archived'].includes(q.status ?? '') ? q.status : undefined,
    };
    const [articles, tags, teams] = await Promise.all([
      listArticles(db, { ...query, lang: query.lang as 'ar' | 'en' | undefined, status: query.status as never }),
      db.query<{ tag: string }>('SELECT DISTINCT unnest(tags) AS tag FROM articles ORDER BY 1 LIMIT 300'),
      db.query<{ team: string }>('SELECT DISTINCT team FROM articles WHERE team IS NOT NULL ORDER BY 1 LIMIT 300'),
    ]);
    return c.html(
      ListPage({
        locale,
        nonce: pageNonce(c),
        me: gated.me,
        articles,
        query,
        tags: tags.map((r) => r.tag),
        teams: teams.map((r) => r.team),
      }),
    );
  });

  app.get('/console/editor/articles/new', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if ('response' in gated) return gated.response;
    const gapId = short(c.req.query('gap'), 40);
    const gap = gapId ? (await findKnowledgeGaps(db)).find((g) => g.id === gapId) : undefined;
    const article: ArticleContent = gap
      ? draftFromGap(gap)
      : { id: '', title: '', lang: locale, tags: [], team: null, questions: [], body: '', status: 'draft' };
    return c.html(
      ArticlePage({ locale, nonce: pageNonce(c), me: gated.me, article, isNew: true, fromGap: Boolean(gap) }),
    );
  });

  app.get('/console/editor/articles/:id', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if ('response' in gated) return gated.response;
    const article = await getArticle(db, c.req.param('id'));
    if (!article) return c.notFound();
    return c.html(ArticlePage({ locale, nonce: pageNonce(c), me: gated.me, article, isNew: false }));
  });

  app.get('/console/editor/articles/:id/history', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if ('response' in gated) return gated.response;
    const article = await getArticle(db, c.req.param('id'));
    if (!article) return c.notFound();
    const versions = await listVersions(db, article.id);
    const asked = (name: string, fallback: number) => {
      const n = Number(c.req.query(name));
      return versions.some((v) => v.version === n) ? n : fallback;
    };
    const toV = asked('to', article.version);
    const fromV = asked('from', Math.max(1, toV - 1));
    const [from, to] = await Promise.all([getVersion(db, article.id, fromV), getVersion(db, article.id, toV)]);
    if (!from || !to) return c.notFound();
    return c.html(HistoryPage({ locale, nonce: pageNonce(c), me: gated.me, article, versions, from, to }));
  });

  app.get('/console/editor/gaps', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if ('response' in gated) return gated.response;
    return c.html(GapsPage({ locale, nonce: pageNonce(c), me: gated.me, gaps: await findKnowledgeGaps(db) }));
  });

  app.get('/console/editor/phrasing', async (c) => {
    const locale = localeOf(c);
    const gated = await gate(c, locale);
    if ('response' in gated) return gated.response;
    const [phrasings, generated, autoAccept] = await Promise.all([
      listPhrasings(db, { status: 'proposed' }),
      listPhrasings(db, { status: 'accepted', origin: 'generated', limit: 200 }),
      autoAccepts(db),
    ]);
    return c.html(PhrasingPage({ locale, nonce: pageNonce(c), me: gated.me, phrasings, generated, autoAccept }));
  });

  return app;
}
