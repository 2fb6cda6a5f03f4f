/**
 * Web (issue 19, suite 6) in Debian's Chromium: stored cross-site scripting. Hostile markup is
 * stored where customers and editors can put it (a customer's message, a contact's name, an
 * article's title and body) and every page that shows it is opened: the widget on the storefront,
 * the help centre, the agent console (queue and conversation), the knowledge editor (list,
 * article with its live preview, history, gaps) and the supervisor pages (KPIs, hand-off log,
 * transcript, contained conversations). On each: no script of ours ran (a window flag, a dialog
 * listener) and no active element was injected (event-handler attributes, script, iframe,
 * object, embed, javascript: links, the payload's images, bidi controls in shown text), shadow
 * roots included.
 * Prints: pages, payload fields, scripts run, dialogs, active elements injected.
 * Screenshots go to test-results/screenshots.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/auth/staff.js';
import { testDeps } from '../helpers/backends.js';
import {
  browserAvailable,
  launchBrowser,
  type Served,
  screenshot,
  serveApp,
  serveHostPage,
} from '../helpers/browser.js';

const PASSWORD = 'web-xss-test-password-1';
const ADMIN = { email: 'admin@shop.example', name: 'Admin' };
const STEP_MS = 30_000;

/** Every way we know of to run script from stored text, each naming the field it came from. */
function payload(field: string): string {
  const run = `window.__xss=(window.__xss||[]).concat('${field}')`;
  return [
    `<img src=x onerror="${run}">`,
    `<script>${run}</script>`,
    `<svg/onload="${run}">`,
    `<iframe srcdoc="<script>parent.__xss='${field}'</script>"></iframe>`,
    `<a href="javascript:${run}">j</a>`,
    `[md link](javascript:alert('${field}'))`,
    `![md image](x" onerror="alert('${field}'))`,
    `"><b onmouseover="alert('${field}')">b</b>`,
    `<details open ontoggle="${run}">`,
    `\u202Egnp.exe`,
  ].join(' ');
}

const FIELDS = ['contact name', 'message', 'article title', 'article body'] as const;

describe.skipIf(!browserAvailable)('stored XSS in a browser (skipped: no Chromium at CHROMIUM_PATH)', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let served: Served;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let conversationId: string;
  // Another origin on the same host (another port): the same site, so SameSite=Lax cookies go along.
  let hostHtml = '';
  let host: Served;

  beforeAll(async () => {
    host = await serveHostPage(() => hostHtml);
    deps = await testDeps();
    const article = {
      id: 'gift-wrapping-xss',
      title: `Gift wrapping ${payload('article title')}`,
      lang: 'en' as const,
      tags: ['gifts'],
      team: null,
      questions: ['can you gift wrap my order', 'gift wrapping service', 'do you offer gift wrapping'],
      status: 'published' as const,
      body: `We gift wrap every order for free at checkout. ${payload('article body')}`,
    };
    await deps.kb.save(article, { by: 'test' });
    // A second version, so the history page has a diff to show.
    await deps.kb.save({ ...article, body: `${article.body}\n\nA gift card can be added.` }, { by: 'test' });
    await deps.kb.index(article.id);
    const conversation = await deps.inbox.continueOrOpen({
      channel: 'widget',
      contact: { externalId: 'xss-customer', name: `Sara ${payload('contact name')}` },
      lang: 'en',
    });
    conversationId = conversation.id;
    await deps.inbox.receive({ conversationId, text: `${payload('message')} I want a person`, intent: 'human' });
    // A question nothing answers: a hand-off for low confidence, and a knowledge gap.
    const other = await deps.inbox.continueOrOpen({
      channel: 'widget',
      contact: { externalId: 'xss-customer-2', name: `Omar ${payload('contact name')}` },
      lang: 'en',
    });
    await deps.inbox.receive({ conversationId: other.id, text: `zebra quantum telescope ${payload('message')}` });
    await createStaff(deps.db, { ...ADMIN, role: 'admin', password: PASSWORD, team: null });
    served = await serveApp(deps.service.app().fetch);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await served?.close();
    await host?.close();
    await deps?.close();
  });

  /** What a page holds that could run: found anywhere, open shadow roots included. */
  function activeElements(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const found: string[] = [];
      const visit = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          const tag = el.tagName.toLowerCase();
          for (const attr of el.getAttributeNames()) {
            if (/^on/i.test(attr)) found.push(`${tag}[${attr}]`);
          }
          if (['iframe', 'object', 'embed', 'frame'].includes(tag)) found.push(tag);
          if (tag === 'script' && /__xss|alert/.test(el.textContent ?? '')) found.push('script');
          const href = el.getAttribute('href') ?? el.getAttribute('src') ?? '';
          if (/^\s*(?:javascript|data|vbscript):/i.test(href)) found.push(`${tag}[${href.slice(0, 20)}]`);
          if (tag === 'img' && /(^|\/)x"?$/.test(el.getAttribute('src') ?? '')) found.push('img[src=x]');
          // Bidi controls in shown text (not in a field being edited) reverse what follows.
          if (!['textarea', 'script', 'style'].includes(tag)) {
            for (const node of el.childNodes)
              if (node.nodeType === Node.TEXT_NODE && /[\u202A-\u202E\u2066-\u2069]/.test(node.textContent ?? ''))
                found.push(`bidi control in ${tag}`);
          }
          if (el.shadowRoot) visit(el.shadowRoot);
        }
      };
      visit(document);
      return found;
    });
  }

  async function signIn(page: Page) {
    await page.goto(`${served.url}/console?locale=en`);
    await page.waitForURL(/\/console\/login/);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/console');
  }

  it('a form another origin of the same host posts with the signed-in session is refused with a problem', async () => {
    await deps.kb.save(
      {
        id: 'csrf-draft',
        title: 'Not yet',
        lang: 'en',
        tags: [],
        team: null,
        questions: [],
        body: 'Draft.',
        status: 'draft',
      },
      { by: 'test' },
    );
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      page.setDefaultTimeout(STEP_MS);
      await signIn(page);
      hostHtml = `<!doctype html><form id="f" method="post" action="${served.url}/v1/articles/csrf-draft/publish"></form><script>document.getElementById('f').submit()</script>`;
      const answered = page.waitForResponse((r) => r.url().endsWith('/v1/articles/csrf-draft/publish'));
      await page.goto(`http://127.0.0.1:${new URL(host.url).port}/`);
      const response = await answered;
      expect(response.status()).toBe(403);
      expect(response.headers()['content-type']).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as { type: string }).type).toMatch(/cross-site-request$/);
      await screenshot(page, 'security-csrf-refused');
      const [row] = await deps.db.query<{ status: string }>("SELECT status FROM articles WHERE id = 'csrf-draft'");
      expect(row?.status).toBe('draft');
    } finally {
      await ctx.close();
    }
  }, 240_000);

  it('a message, a contact name and an article render inert in the widget and every console', async () => {
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const visited: string[] = [];
    const injected: string[] = [];

    async function check(label: string) {
      // Handlers of a late-loading image or a toggled element fire after load.
      await page.waitForLoadState('load');
      await page.waitForTimeout(400);
      const ran = await page.evaluate(() => (window as { __xss?: string[] }).__xss ?? []);
      expect(ran, label).toEqual([]);
      for (const a of await activeElements(page)) injected.push(`${label}: ${a}`);
      visited.push(label);
      await screenshot(page, `security-xss-${label}`);
    }

    // The probes work: the same markup put into a page without our defences runs and is found.
    await page.setContent(`<main>${payload('probe')}</main>`);
    await page.waitForTimeout(400);
    expect(await page.evaluate(() => (window as { __xss?: string[] }).__xss ?? [])).toContain('probe');
    expect((await activeElements(page)).length).toBeGreaterThan(3);

    // The customer: the storefront's widget, asking what the hostile article answers, then
    // sending markup of their own.
    await page.goto(`${served.url}/?locale=en`);
    await page.getByRole('button', { name: 'Open the chat with customer service' }).click();
    await page.getByLabel('Type your message').fill('can you gift wrap my order?');
    await page.keyboard.press('Enter');
    const widget = page.locator('#sanad-widget');
    await widget.locator('.msg.bot[data-id]').first().waitFor();
    await page.getByLabel('Type your message').fill(payload('message'));
    await page.keyboard.press('Enter');
    await expect.poll(() => widget.locator('.msg.bot[data-id]').count(), { timeout: STEP_MS }).toBeGreaterThan(1);
    // The customer's markup is shown as the text they typed.
    expect(await widget.locator('.msg.customer').last().textContent()).toContain('<script>');
    await check('widget');

    await page.goto(`${served.url}/help/articles/gift-wrapping-xss?locale=en`);
    await check('help-article');

    // Staff: one sign-in for the consoles.
    await signIn(page);
    const queued = page.locator(`#queue-rows tr[data-conversation="${conversationId}"]`);
    await queued.waitFor();
    expect(await queued.textContent()).toContain('onerror');
    await check('console-queue');

    await page.goto(`${served.url}/console/conversations/${conversationId}`);
    await page.locator('#thread .msg.customer').first().waitFor();
    await check('console-conversation');

    await page.goto(`${served.url}/console/editor?locale=en`);
    expect(await page.locator('main').textContent()).toContain('Gift wrapping <img');
    await check('editor-list');
    await page.goto(`${served.url}/console/editor/articles/gift-wrapping-xss?locale=en`);
    // The live preview renders the body, as the widget would.
    await page.locator('#preview').filter({ hasText: 'gift wrap every order' }).waitFor();
    await check('editor-article');
    await page.goto(`${served.url}/console/editor/articles/gift-wrapping-xss/history?locale=en`);
    await check('editor-history');
    await page.goto(`${served.url}/console/editor/gaps?locale=en`);
    await check('editor-gaps');

    await page.goto(`${served.url}/console/supervisor?locale=en`);
    await check('supervisor-kpis');
    await page.goto(`${served.url}/console/supervisor/handoffs?locale=en`);
    expect(await page.locator('#handoff-log').textContent()).toContain('<script>');
    await check('supervisor-handoffs');
    await page.goto(`${served.url}/console/supervisor/conversations/${conversationId}?locale=en`);
    await check('supervisor-transcript');
    await page.goto(`${served.url}/console/supervisor/contained?locale=en`);
    await check('supervisor-contained');

    console.log(
      `[security] web: stored XSS in ${FIELDS.length} fields (${FIELDS.join(', ')}), ${visited.length} pages in Chromium; ` +
        `scripts run 0, dialogs ${dialogs.length}, active elements injected ${injected.length}`,
    );
    expect(dialogs).toEqual([]);
    expect(injected).toEqual([]);
    expect(errors).toEqual([]);
  }, 600_000);
});
