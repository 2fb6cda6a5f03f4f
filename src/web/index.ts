import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { getArticle, listArticles } from '../knowledge/articles.js';
import type { AppEnv } from '../platform/http/env.js';
import type { Module, Platform } from '../platform/module.js';
import { consoleRoutes } from './console/routes.js';
import { pageNonce } from './csp.js';
import { editorPages } from './editor/routes.js';
import { HelpArticle, HelpIndex } from './help.js';
import { localeFrom } from './layout.js';
import { Storefront } from './storefront.js';
import { supervisorRoutes } from './supervisor/routes.js';

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#0f6e56"/><path d="M8 9h16a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-9l-5 4v-4H8a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2z" fill="#fff"/></svg>';

// Bidi embeddings, overrides and isolates: in a name or title they turn «gnp.exe» into «exe.png».
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Names, titles and messages are stored as written (item 2 of issue 19), but no page shows a bidi
 * control: our templates use none (direction comes from `dir`), so every one in a page came from
 * stored text, and is dropped there. The console's script does the same for what it draws.
 */
const inertBidi: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.get('content-type')?.startsWith('text/html')) return;
  const html = (await c.res.text()).replace(BIDI_CONTROLS, '');
  const headers = new Headers(c.res.headers);
  headers.delete('content-length');
  c.res = new Response(html, { status: c.res.status, headers });
};

function page(c: Context<AppEnv>) {
  return { nonce: pageNonce(c), locale: localeFrom(c.req.query('locale')) };
}

/** The pages: the demo storefront and the help centre for customers, the agent console for staff. */
export function webModule(platform: Platform): Module {
  const { db } = platform;
  return {
    name: 'web',
    routes: () => {
      const app = new Hono<AppEnv>();
      // The editor's and supervisor's pages are drawn on the server; the agent console draws its own.
      for (const path of ['/console/editor', '/console/editor/*', '/console/supervisor', '/console/supervisor/*'])
        app.use(path, inertBidi);
      // A page without one asks for /favicon.ico; an inline icon saves the 404.
      app.get('/favicon.ico', (c) =>
        c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }),
      );
      app.get('/', (c) => {
        const { nonce, locale } = page(c);
        return c.html(Storefront({ locale, nonce }));
      });
      app.get('/help', async (c) => {
        const { nonce, locale } = page(c);
        const articles = await listArticles(db, { status: 'published', lang: locale });
        return c.html(HelpIndex({ locale, nonce, articles }));
      });
      app.get('/help/articles/:id', async (c) => {
        const { nonce, locale } = page(c);
        const article = await getArticle(db, c.req.param('id'));
        if (article?.status !== 'published') {
          return c.html(
            HelpIndex({ locale, nonce, articles: await listArticles(db, { status: 'published', lang: locale }) }),
            404,
          );
        }
        return c.html(HelpArticle({ locale, nonce, article }));
      });
      app.route('/', consoleRoutes(platform));
      app.route('/', supervisorRoutes(platform));
      app.route('/', editorPages(platform));
      return app as never;
    },
  };
}
