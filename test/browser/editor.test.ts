/**
 * The knowledge editor in Debian's Chromium: an editor signs in through the console's login,
 * turns a knowledge gap into a draft (the customers' questions pre-filled), writes the body with
 * its live preview, checks the answer diff, publishes, and the widget then answers the question
 * with the new article. The version history shows a diff in Arabic, right to left. Screenshots
 * go to test-results/screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/auth/staff.js';
import { testDeps } from '../helpers/backends.js';
import { browserAvailable, browserPages, type Served, screenshot, serveApp } from '../helpers/browser.js';

const PASSWORD = 'editor-test-password-1';
const EDITOR = { email: 'layla@shop.example', name: 'ليلى المحررة' };
const GAP = ['Do you sell camel saddles?', 'I am looking for a camel saddle', 'do you sell saddles for camels'];
const BODY =
  'Yes. **Camel saddles** are in our Heritage section, from 900 riyals, delivered within a week.\n\n- Traditional wooden frame\n- Leather cushions\n\n<script>document.title="pwned"</script>';
const STEP_MS = 30_000;
const DIFF_MS = 240_000;

describe.skipIf(!browserAvailable)('the knowledge editor in a browser (skipped: no Chromium at CHROMIUM_PATH)', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let served: Served;
  const pages = browserPages(STEP_MS);
  let articleId = '';

  beforeAll(async () => {
    deps = await testDeps();
    const imported = await deps.kb.importFolder('knowledge-base');
    expect(imported.failed).toEqual([]);
    // Customers asked something the knowledge base does not cover: low-confidence hand-offs.
    for (const [i, text] of GAP.entries()) {
      const conversation = await deps.inbox.open({ channel: 'api', externalId: `gap-${i}` });
      const outcome = await deps.inbox.receive({ conversationId: conversation.id, text });
      expect(outcome.handoff?.reason, text).toBe('low_confidence');
    }
    await createStaff(deps.db, { ...EDITOR, role: 'editor', password: PASSWORD, team: null });
    served = await serveApp(deps.service.app().fetch);
    await pages.start();
  }, 240_000);
  afterEach(() => pages.closePages());
  afterAll(async () => {
    await pages.close();
    await served?.close();
    await deps?.close();
  });

  const newPage = (viewport = { width: 1360, height: 1000 }) => pages.newPage({ viewport });

  async function signIn(page: Page, path: string, labels: { email: string; password: string; signIn: string }) {
    await page.goto(`${served.url}${path}`);
    await page.waitForURL(/\/console\/login/);
    await page.getByLabel(labels.email).fill(EDITOR.email);
    await page.getByLabel(labels.password).fill(PASSWORD);
    await page.getByRole('button', { name: labels.signIn }).click();
    await page.waitForURL((url) => url.pathname === new URL(path, served.url).pathname);
  }

  it('en: a gap becomes a draft, its answer diff is checked, it is published, and the widget answers', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, '/console/editor/gaps?locale=en', { email: 'Email', password: 'Password', signIn: 'Sign in' });
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    const gap = page.locator('article.gap', { hasText: 'camel saddles' }).first();
    await expect.poll(() => gap.locator('.pill').textContent()).toContain('3');
    await screenshot(page, 'editor-en-gaps');

    await gap.getByRole('link', { name: 'Create a draft from this gap' }).click();
    await page.waitForURL(/\/console\/editor\/articles\/new\?gap=/);
    const questions = page.locator('#questions input[name="question"]');
    expect(await questions.count()).toBe(3);
    const asked = await questions.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(asked.sort()).toEqual([...GAP].sort());
    articleId = await page.locator('input[name="id"]').inputValue();
    expect(articleId).toMatch(/^gap-/);
    await page.getByLabel('Title').fill('Do you sell camel saddles?');
    await page.getByLabel('Tags (comma-separated)').fill('heritage, products');
    await page.getByLabel('Body (Markdown)').fill(BODY);
    // The live preview renders Markdown; the script an editor typed is text, never run.
    await page.locator('#preview strong', { hasText: 'Camel saddles' }).waitFor();
    expect(await page.locator('#preview li').count()).toBe(2);
    expect(await page.locator('#preview script').count()).toBe(0);
    await page.getByRole('button', { name: 'Add a question' }).click();
    await page.locator('#questions input[name="question"]').last().fill('where can I buy a camel saddle');
    await screenshot(page, 'editor-en-draft');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL((url) => url.pathname === `/console/editor/articles/${articleId}`);
    expect(await page.locator('.pill.draft').count()).toBe(1);

    // The answer diff: the gap's question would now be answered by this article. On the embedded
    // database it retrieves the development set inside this process (WASM Postgres, the same event
    // loop as Playwright's driver): on a busy machine even the click's own bookkeeping waits for it.
    await page.getByRole('button', { name: 'Check answer changes' }).click({ timeout: DIFF_MS });
    const row = page.locator('#answer-diff tr', { hasText: GAP[0] as string });
    await row.waitFor({ timeout: DIFF_MS });
    expect(await row.getAttribute('data-kind')).toBe('now_answered');
    expect(await row.textContent()).toContain(articleId);
    expect(await page.locator('#answer-diff').textContent()).toMatch(/development-set cases/);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'editor-en-answer-diff');
    // Checking changed nothing: still a draft at version 1.
    const [stored] = await deps.db.query<{ status: string; version: number }>(
      'SELECT status, version FROM articles WHERE id = $1',
      [articleId],
    );
    expect(stored).toEqual({ status: 'draft', version: 1 });

    await page.getByRole('button', { name: 'Publish' }).click();
    // The page reloads with the new status (the status line's "Published" lasts until then).
    await page.locator('.pill.published').waitFor();
    await deps.jobs.idle();
    expect(errors).toEqual([]);
    expect(await page.title()).not.toContain('pwned');

    // The customer asks again on the shop's widget: answered from the new article.
    const shop = await page.context().newPage();
    await shop.goto(`${served.url}/?locale=en`);
    await shop.getByRole('button', { name: 'Open the chat with customer service' }).click();
    await shop.getByLabel('Type your message').fill(GAP[0] as string);
    await shop.keyboard.press('Enter');
    const answer = shop.locator('#sanad-widget .msg.bot[data-id]').first();
    await answer.waitFor();
    expect(await answer.locator('.sources a').first().getAttribute('href')).toContain(`/help/articles/${articleId}`);
    expect(await answer.locator('.body').textContent()).toContain('Heritage');
    await screenshot(shop, 'editor-widget-en-answer');
  }, 600_000);

  it('ar: the article list and the version history with a diff, right to left', async () => {
    expect(articleId).not.toBe('');
    const page = await newPage();
    await signIn(page, '/console/editor?locale=ar', {
      email: 'البريد الإلكتروني',
      password: 'كلمة المرور',
      signIn: 'تسجيل الدخول',
    });
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.getByLabel('بحث').fill('camel');
    await page.getByRole('button', { name: 'تصفية' }).click();
    await page.waitForURL(/q=camel/);
    expect(await page.locator('table.list tbody tr').count()).toBe(1);
    await page.goto(`${served.url}/console/editor?lang=ar&status=published`);
    expect(await page.locator('table.list tbody tr').count()).toBeGreaterThan(10);
    await screenshot(page, 'editor-ar-list');

    // A later edit (version 3) to compare with the published text, then restore.
    const current = await deps.kb.article(articleId);
    await deps.kb.save(
      { ...current!, body: `${current!.body}\n\nGift wrapping is free for saddles.`, questions: current!.questions },
      { by: 'test', note: 'gift wrapping' },
    );
    await page.goto(`${served.url}/console/editor/articles/${articleId}/history?from=2&to=3`);
    expect(await page.locator('table.versions tbody tr').count()).toBe(3);
    expect(await page.locator('pre.lines .add').count()).toBeGreaterThan(0);
    await screenshot(page, 'editor-ar-history');
    await page.getByRole('button', { name: 'استعادة هذه النسخة' }).first().click();
    await page.locator('#status', { hasText: 'وتبقى المقالة منشورة' }).waitFor();
    await page.waitForURL(/to=4/);
    expect(await page.locator('table.versions tbody tr').count()).toBe(4);

    // An Arabic article in the editor: the body and its preview right to left.
    await page.goto(`${served.url}/console/editor/articles/returns-policy-ar`);
    expect(await page.locator('#preview').getAttribute('dir')).toBe('rtl');
    await page.locator('#preview p').first().waitFor();
    await screenshot(page, 'editor-ar-article');
  }, 180_000);
});
