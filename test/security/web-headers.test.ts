/**
 * Web (issue 19, suite 6), what needs no browser: every page's Content-Security-Policy (no inline
 * script but the page's own nonce'd ones; the API docs page is the one exception, Swagger UI
 * starts itself inline) and the cross-site request check on cookie-authenticated changes.
 * Prints: pages checked, pages allowing inline script, inline scripts without the page's nonce,
 * cross-site changes refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-keys.js';
import { createStaff } from '../../src/auth/staff.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call } from '../helpers/http.js';

const PASSWORD = 'a long enough password 123';
let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let cookie: string;
let conversationId: string;

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app() as App;
  await createStaff(deps.db, {
    email: 'root@shop.example',
    name: 'Root',
    role: 'admin',
    password: PASSWORD,
    team: null,
  });
  const login = await call(app, 'POST', '/v1/auth/login', { body: { email: 'root@shop.example', password: PASSWORD } });
  expect(login.status).toBe(200);
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  await deps.kb.save(
    {
      id: 'csp-article',
      title: 'Gift wrapping',
      lang: 'en',
      tags: [],
      team: null,
      questions: ['do you gift wrap'],
      body: 'We gift wrap orders for free.',
      status: 'published',
    },
    { by: 'test' },
  );
  await deps.kb.index('csp-article');
  const conversation = await deps.inbox.open({ channel: 'api', externalId: 'csp-customer' });
  conversationId = conversation.id;
  await deps.inbox.receive({ conversationId, text: 'I want a person', intent: 'human' });
}, 120_000);

afterAll(async () => {
  await deps?.close();
});

const draft = async (id: string) => {
  await deps.kb.save(
    { id, title: 'A draft', lang: 'en', tags: [], team: null, questions: [], body: 'Not yet.', status: 'draft' },
    { by: 'test' },
  );
  return id;
};
const statusOf = async (id: string) =>
  (await deps.db.query<{ status: string }>('SELECT status FROM articles WHERE id = $1', [id]))[0]?.status;

describe('Content-Security-Policy on every page', () => {
  it('no page runs inline script but its own nonce’d ones (the API docs page aside)', async () => {
    const pages = [
      '/',
      '/?locale=en',
      '/help',
      '/help/articles/csp-article',
      '/console/login',
      '/console',
      `/console/conversations/${conversationId}`,
      '/console/editor',
      '/console/editor/articles/new',
      '/console/editor/articles/csp-article',
      '/console/editor/articles/csp-article/history',
      '/console/editor/gaps',
      '/console/editor/phrasing',
      '/console/supervisor',
      '/console/supervisor/handoffs',
      '/console/supervisor/contained',
      `/console/supervisor/conversations/${conversationId}`,
      '/docs',
    ];
    const allowingInline: string[] = [];
    const unnonced: string[] = [];
    for (const path of pages) {
      const res = await app.request(path, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/default-src 'self'/);
      expect(csp, path).toMatch(/base-uri 'none'/);
      expect(csp, path).toMatch(/frame-ancestors '(?:self|none)'/);
      expect(csp, path).toMatch(/form-action 'self'/);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, path).not.toMatch(/\*|data:|'unsafe-eval'/);
      if (scriptSrc.includes("'unsafe-inline'")) allowingInline.push(path);
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      const html = await res.text();
      for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
        if (/\bsrc=/.test(tag)) continue;
        // Swagger UI's own inline start-up, under the docs page's 'unsafe-inline'.
        if (path === '/docs') continue;
        if (!nonce || !tag.includes(`nonce="${nonce}"`)) unnonced.push(`${path}: ${tag}`);
      }
      // A page for staff or with a session is never cached.
      if (path.startsWith('/console/') && path !== '/console/login')
        expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    console.log(
      `[security] web: ${pages.length} pages checked; pages allowing inline script ${allowingInline.length} (${allowingInline.join(', ')}); inline scripts without the page's nonce ${unnonced.length}`,
    );
    expect(allowingInline).toEqual(['/docs']);
    expect(unnonced).toEqual([]);
  });
});

describe('cross-site requests cannot use a console session', () => {
  const post = (path: string, headers: Record<string, string>) =>
    app.request(path, { method: 'POST', headers: { cookie, ...headers } });

  it('a form posted from another site or another origin of this site is refused with a problem', async () => {
    let refused = 0;
    const attempts: Record<string, string>[] = [
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      // Another port of the same host is the same site: SameSite=Lax cookies go along.
      { origin: 'http://localhost:8081', 'sec-fetch-site': 'same-site' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      // An older browser without Sec-Fetch-Site still names the page's origin.
      { origin: 'https://evil.example' },
    ];
    for (const headers of attempts) {
      const id = await draft(`csrf-${refused}`);
      const res = await post(`/v1/articles/${id}/publish`, {
        ...headers,
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { type: string }).type).toMatch(/cross-site-request$/);
      expect(await statusOf(id)).toBe('draft');
      refused++;
    }
    // Signing out, or in, is refused the same way: the session still works afterwards.
    expect(
      (await post('/v1/auth/logout', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
    const loginElsewhere = await call(app, 'POST', '/v1/auth/login', {
      body: { email: 'root@shop.example', password: PASSWORD },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(loginElsewhere.status).toBe(403);
    refused += 2;
    expect((await app.request('/v1/auth/me', { headers: { cookie } })).status).toBe(200);
    console.log(`[security] web: cross-site changes with a console session refused ${refused}/${refused}`);
  });

  it("the console's own pages, API keys and non-browser clients go on as before", async () => {
    const own = await draft('csrf-own');
    const sameOrigin = await post(`/v1/articles/${own}/publish`, {
      origin: 'http://localhost',
      'sec-fetch-site': 'same-origin',
    });
    expect(sameOrigin.status).toBe(200);
    const script = await draft('csrf-script');
    expect((await post(`/v1/articles/${script}/publish`, {})).status).toBe(200);
    // A bearer credential is never sent by a browser on its own: no forgery to stop.
    const { key } = await createApiKey(deps.db, { name: 'csrf-editor', role: 'editor' });
    const keyed = await draft('csrf-key');
    const res = await app.request(`/v1/articles/${keyed}/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, origin: 'https://tools.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(200);
    // Reading is no change: a cross-site GET with the cookie is judged by CORS, not refused here.
    expect(
      (
        await app.request('/v1/auth/me', {
          headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        })
      ).status,
    ).toBe(200);
  });
});
