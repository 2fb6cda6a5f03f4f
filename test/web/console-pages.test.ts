/**
 * The console's pages as HTTP answers: signed-out visitors go to the login page and come back
 * (only ever to a console path), other staff roles are told the console is not theirs, pages
 * carry a nonce'd policy and are not cached, names are escaped, the locale is remembered, and the
 * client script is served with an etag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/sessions.js';
import { createStaff } from '../../src/auth/staff.js';
import { safeNext } from '../../src/web/console/routes.js';
import { testDeps } from '../helpers/backends.js';

describe('console pages', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let app: ReturnType<Awaited<ReturnType<typeof testDeps>>['service']['app']>;
  const cookies: Record<'agent' | 'editor', string> = { agent: '', editor: '' };

  beforeAll(async () => {
    deps = await testDeps();
    app = deps.service.app();
    for (const role of ['agent', 'editor'] as const) {
      const staff = await createStaff(deps.db, {
        email: `${role}@souq.example`,
        name: role === 'agent' ? 'Mona <b onmouseover=alert(1)>' : 'Editor',
        role,
        password: 'a-long-enough-password-1',
      });
      cookies[role] = `sanad_session=${await createSession(deps.db, staff.id, 1)}`;
    }
  });
  afterAll(async () => {
    await deps?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

  it('sends a signed-out visitor to the login page, to come back where they were', async () => {
    const queue = await get('/console');
    expect(queue.status).toBe(302);
    expect(queue.headers.get('location')).toBe('/console/login?locale=ar&next=%2Fconsole');
    const conversation = await get('/console/conversations/abc?locale=en');
    expect(conversation.headers.get('location')).toBe(
      `/console/login?locale=en&next=${encodeURIComponent('/console/conversations/abc')}`,
    );
  });

  it('follows only console paths after signing in', async () => {
    expect(safeNext('/console/conversations/1?locale=en')).toBe('/console/conversations/1?locale=en');
    for (const bad of [
      '//evil.example',
      'https://evil.example/console',
      '/console//evil.example',
      '/consoles',
      '/\\evil',
    ]) {
      expect(safeNext(bad)).toBe('/console');
    }
    const page = await (await get('/console/login?next=%2F%2Fevil.example')).text();
    expect(page).toContain('data-next="/console"');
  });

  it('renders the queue for an agent: rtl Arabic by default, a nonce policy, not cached, names escaped', async () => {
    const response = await get('/console', { cookie: cookies.agent });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script nonce="${nonce}" src="/console/app.js"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(html).not.toContain('<b onmouseover');
    expect(html).toContain('Mona &lt;b onmouseover=alert(1)&gt;');
    expect(html).toContain('aria-checked="false"');
  });

  it('tells other staff the console is not theirs', async () => {
    const response = await get('/console', { cookie: cookies.editor });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain('notice=not-an-agent');
    const login = await (await get(response.headers.get('location') as string)).text();
    expect(login).toContain('هذه اللوحة لموظفي خدمة العملاء');
  });

  it('remembers the language chosen', async () => {
    const first = await get('/console/login?locale=en');
    const set = first.headers.get('set-cookie') ?? '';
    expect(set).toContain('sanad_console_locale=en');
    const again = await (await get('/console', { cookie: `${cookies.agent}; sanad_console_locale=en` })).text();
    expect(again).toContain('<html lang="en" dir="ltr">');
  });

  it('serves the client script, revalidated by its etag', async () => {
    const script = await get('/console/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const etag = script.headers.get('etag') as string;
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await get('/console/app.js', { 'if-none-match': etag })).status).toBe(304);
  }, 60_000);
});
