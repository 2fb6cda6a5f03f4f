/**
 * The widget as a customer uses it, in Debian's Chromium: on the demo storefront in Arabic
 * (right-to-left) and English, a visitor opens the chat, asks a question of the sample
 * knowledge base, sees the answer with its source, rates it, asks for a person and sees the
 * queue notice, reloads and keeps the conversation. Then: a host page's CSS cannot reach the
 * widget; an editor's hostile markup never runs; another site embeds it (allowed origin,
 * identified user with earlier conversations) and a site not allowed gets nothing.
 * Screenshots go to test-results/screenshots.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userHash } from '../../src/channels/widget/index.js';
import { testDeps } from '../helpers/backends.js';
import {
  browserAvailable,
  launchBrowser,
  type Served,
  screenshot,
  serveApp,
  serveHostPage,
} from '../helpers/browser.js';

const SECRET = 'site-secret-for-tests-0123456789';
const UI = {
  ar: {
    launcher: 'افتح المحادثة مع خدمة العملاء',
    input: 'اكتب رسالتك',
    human: 'التحدث مع موظف',
    yes: 'نعم',
    thanks: 'شكرًا على رأيك.',
    queued: 'أنت في قائمة الانتظار',
    question: 'كم يوم عندي عشان أرجع الغرض؟',
    article: 'returns-policy-ar',
  },
  en: {
    launcher: 'Open the chat with customer service',
    input: 'Type your message',
    human: 'Talk to a person',
    yes: 'Yes',
    thanks: 'Thanks for your feedback.',
    queued: "You're in the queue",
    question: 'How many days do I have to return an item?',
    article: 'returns-policy-en',
  },
} as const;

// A slow machine: the first answer waits for the service's first turn, and Chromium for its start.
const STEP_MS = 30_000;

describe.skipIf(!browserAvailable)('the chat widget in a browser (skipped: no Chromium at CHROMIUM_PATH)', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let served: Served;
  let browser: Browser;
  let context: BrowserContext | undefined;
  // Two other sites embedding the widget: one on the allow-list, one not. Their pages are set per test.
  const pages = { allowed: '', other: '' };
  let allowedSite: Served;
  let otherSite: Served;

  beforeAll(async () => {
    allowedSite = await serveHostPage(() => pages.allowed);
    otherSite = await serveHostPage(() => pages.other);
    deps = await testDeps({
      config: { WIDGET_ALLOWED_ORIGINS: new URL(allowedSite.url).origin, WIDGET_IDENTITY_SECRET: SECRET },
    });
    const imported = await deps.kb.importFolder('knowledge-base');
    expect(imported.failed).toEqual([]);
    served = await serveApp(deps.service.app().fetch);
    browser = await launchBrowser();
  }, 240_000);
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await allowedSite?.close();
    await otherSite?.close();
    await deps?.close();
  });

  async function newPage(viewport = { width: 1200, height: 800 }): Promise<Page> {
    context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    return page;
  }

  const widget = (page: Page) => page.locator('#sanad-widget');

  for (const locale of ['ar', 'en'] as const) {
    it(`${locale}: ask, see the answer and its source, rate it, ask for a person, reload and keep it`, async () => {
      const ui = UI[locale];
      const page = await newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${served.url}/?locale=${locale}`);
      expect(await page.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');

      const launcher = page.getByRole('button', { name: ui.launcher });
      // Mirrored for Arabic: the launcher sits at the left; at the right for English.
      const box = await launcher.boundingBox();
      expect(box).not.toBeNull();
      if (locale === 'ar') expect(box?.x).toBeLessThan(600);
      else expect(box?.x).toBeGreaterThan(600);
      await launcher.focus();
      await page.keyboard.press('Enter');
      const input = page.getByLabel(ui.input);
      await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      expect(await widget(page).locator('.root').getAttribute('dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');

      await page.keyboard.type(ui.question);
      await page.keyboard.press('Enter');
      const answer = widget(page).locator('.msg.bot[data-id]').first();
      await answer.waitFor();
      const source = answer.locator('.sources a').first();
      expect(await source.getAttribute('href')).toContain(`/help/articles/${ui.article}`);
      expect(await answer.locator('.body').textContent()).toMatch(locale === 'ar' ? /[\u0600-\u06FF]/ : /return/i);
      // The message log is a live region, so a screen reader hears new messages.
      expect(await widget(page).locator('[role="log"]').getAttribute('aria-live')).toBe('polite');
      await screenshot(page, `widget-${locale}-answer`);

      await answer.getByRole('button', { name: ui.yes }).click();
      await answer.getByText(ui.thanks).waitFor();
      const answerId = (await answer.getAttribute('data-id')) as string;
      await expect
        .poll(
          async () =>
            (await deps.db.query('SELECT helpful FROM message_feedback WHERE message_id = $1', [answerId]))[0],
        )
        .toEqual({ helpful: true });

      await page.getByRole('button', { name: ui.human }).click();
      const status = widget(page).locator('.status');
      await status.getByText(ui.queued).waitFor();
      const [conversation] = await deps.db.query<{ status: string; channel: string }>(
        'SELECT c.status, c.channel FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE m.id = $1',
        [answerId],
      );
      expect(conversation).toEqual({ status: 'waiting_human', channel: 'widget' });
      await screenshot(page, `widget-${locale}-queue`);

      const before = await widget(page).locator('.msg[data-id]').count();
      await page.reload();
      await widget(page).locator('.status').getByText(ui.queued).waitFor();
      await expect.poll(() => widget(page).locator('.msg[data-id]').count()).toBe(before);
      // Each message once: the feed's catch-up and the history never show one twice.
      const ids = await widget(page)
        .locator('.msg[data-id]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
      expect(new Set(ids).size).toBe(ids.length);
      await screenshot(page, `widget-${locale}-reloaded`);
      expect(errors).toEqual([]);
    }, 180_000);
  }

  it('after a person resolves the conversation, the widget asks CSAT and records the stars', async () => {
    const page = await newPage();
    await page.goto(`${served.url}/?locale=ar`);
    await page.getByRole('button', { name: UI.ar.launcher }).click();
    await page.getByLabel(UI.ar.input).fill(UI.ar.question);
    await page.keyboard.press('Enter');
    await widget(page).locator('.msg.bot[data-id]').first().waitFor();
    const session = await page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? 'null') as { conversationId: string },
      `sanad:session:${served.url}`,
    );
    await deps.inbox.resolve(session.conversationId);
    const survey = widget(page).locator('.survey');
    await survey.waitFor();
    await survey.getByRole('radio', { name: 'التقييم 4' }).click();
    await survey.getByLabel('تعليق (اختياري)').fill('شكرًا، الرد كان سريع');
    await screenshot(page, 'widget-ar-survey');
    await survey.getByRole('button', { name: 'إرسال التقييم' }).click();
    await widget(page).getByText('شكرًا على تقييمك!').waitFor();
    await expect
      .poll(async () =>
        deps.db.query<{ score: number; comment: string }>(
          "SELECT score, comment FROM survey_responses WHERE conversation_id = $1 AND kind = 'csat'",
          [session.conversationId],
        ),
      )
      .toEqual([{ score: 4, comment: 'شكرًا، الرد كان سريع' }]);
  }, 180_000);

  it("the host page's CSS cannot reach the widget, and the widget's cannot reach the page", async () => {
    const page = await newPage();
    await page.goto(`${served.url}/?locale=en`);
    await page.addStyleTag({
      content: 'button, textarea, p, div { font-size: 40px !important; color: rgb(255, 0, 0) !important; }',
    });
    await page.getByRole('button', { name: UI.en.launcher }).click();
    const input = page.getByLabel(UI.en.input);
    expect(await input.evaluate((el) => getComputedStyle(el).fontSize)).toBe('15px');
    expect(await input.evaluate((el) => getComputedStyle(el).color)).not.toBe('rgb(255, 0, 0)');
    // The page's own hero text keeps the page's styles (the widget's stylesheet is scoped).
    expect(await page.locator('.hero p').evaluate((el) => getComputedStyle(el).fontSize)).toBe('40px');
  }, 120_000);

  it('an article with script, event-handler and javascript: markup: nothing of it runs or is shown as markup', async () => {
    await deps.kb.save({
      id: 'hostile-en',
      title: 'Gift wrapping <img src=x onerror="window.__pwned=1">',
      lang: 'en',
      tags: ['gifts'],
      team: null,
      questions: ['can you gift wrap my order', 'gift wrapping service'],
      status: 'published',
      body:
        'Yes, we gift wrap for free. <script>window.__pwned=2</script> <img src=x onerror="window.__pwned=3"> ' +
        '[click here](javascript:window.__pwned=4) and [our policy](https://example.com/gift).',
    });
    await deps.kb.index('hostile-en');
    const page = await newPage();
    await page.goto(`${served.url}/?locale=en`);
    await page.getByRole('button', { name: UI.en.launcher }).click();
    await page.getByLabel(UI.en.input).fill('can you gift wrap my order?');
    await page.keyboard.press('Enter');
    const answer = widget(page).locator('.msg.bot[data-id]').first();
    await answer.waitFor();
    expect(await widget(page).locator('script, img, iframe, [onerror]').count()).toBe(0);
    const hrefs = await widget(page)
      .locator('a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.some((h) => /^\s*javascript:/i.test(h))).toBe(false);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // Its help-centre page, which the answer's source links to, is just as inert.
    await page.goto(`${served.url}/help/articles/hostile-en?locale=en`);
    expect(await page.locator('article script, article img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, 'help-article-hostile');
  }, 120_000);

  it('another site embeds it: an identified user sees their earlier conversation; a site not allowed gets nothing', async () => {
    const userId = `customer-${Date.now()}`;
    const embed = (user?: { id: string; hash: string }) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
      <style>body { font-family: serif; } .sanad { display: none; }</style></head>
      <body><h1>Another shop</h1>
      <script>window.sanadSettings = ${JSON.stringify({ locale: 'en', position: 'left', user })};</script>
      <script src="${served.url}/widget/sanad.js" async></script></body></html>`;

    // The site has an earlier, resolved conversation for this user.
    pages.allowed = embed({ id: userId, hash: userHash(SECRET, userId) });
    pages.other = embed();
    const earlier = await deps.inbox.continueOrOpen({ channel: 'widget', contact: { externalId: `user:${userId}` } });
    await deps.inbox.receive({ conversationId: earlier.id, text: 'Do you deliver to Dammam?' });
    await deps.inbox.resolve(earlier.id);

    const page = await newPage();
    await page.goto(allowedSite.url);
    await page.getByRole('button', { name: UI.en.launcher }).click();
    await page.getByLabel(UI.en.input).fill('How many days do I have to return an item?');
    await page.keyboard.press('Enter');
    await widget(page).locator('.msg.bot[data-id]').last().waitFor();
    // After a reload the chat is open again (it was open), with the earlier conversation above.
    await page.reload();
    await widget(page).locator('.divider').first().waitFor();
    await expect.poll(() => widget(page).getByText('Do you deliver to Dammam?').count()).toBe(1);
    await screenshot(page, 'widget-embedded-identified');
    await context?.close();

    // The same page on a site that is not allowed: the chat says it could not send, and nothing is stored.
    const before = await deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM conversations WHERE channel = 'widget'",
    );
    const other = await newPage();
    await other.goto(otherSite.url);
    await other.getByRole('button', { name: UI.en.launcher }).click();
    await other.getByLabel(UI.en.input).fill('hello');
    await other.keyboard.press('Enter');
    await widget(other).locator('.msg.failed').waitFor();
    const after = await deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM conversations WHERE channel = 'widget'",
    );
    expect(after[0]?.n).toBe(before[0]?.n);
  }, 180_000);
});
