/**
 * The supervisor dashboard in Debian's Chromium, in Arabic: signed out, the hand-off log sends one
 * to the console's login and back; the supervisor picks a date range in the filter form, reads the
 * log (right-to-left, hostile customer text shown as text), exports it as CSV, opens a transcript
 * with the candidates' scores, then the KPI page with its charts and the threshold view. An agent
 * is refused. Screenshots go to test-results/screenshots.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/auth/staff.js';
import { answerThreshold } from '../../src/bot/confidence.js';
import { testDeps } from '../helpers/backends.js';
import { browserAvailable, browserPages, type Served, screenshot, serveApp } from '../helpers/browser.js';
import { at, seedContact, seedConversation } from '../reporting/seed.js';
import { seedWorld } from '../reporting/world.js';

const PASSWORD = 'supervisor-test-password-1';
const SUPERVISOR = { email: 'huda@shop.example', name: 'هدى المشرفة' };
const AGENT = { email: 'sami@shop.example', name: 'سامي' };
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script> وين طلبي؟';
const STEP_MS = 30_000;

describe.skipIf(!browserAvailable)(
  'the supervisor dashboard in a browser (skipped: no Chromium at CHROMIUM_PATH)',
  () => {
    let deps: Awaited<ReturnType<typeof testDeps>>;
    let served: Served;
    const pages = browserPages(STEP_MS);

    beforeAll(async () => {
      // Per-language target precisions: the threshold view names each language's threshold.
      deps = await testDeps({ config: { ANSWER_TARGET_PRECISION_AR: '0.8', ANSWER_TARGET_PRECISION_EN: '0.9' } });
      await seedWorld(deps.db);
      // One more hand-off whose question carries markup a customer typed.
      const contact = await seedContact(deps.db, 'widget');
      const c = await seedConversation(deps.db, {
        contact,
        channel: 'widget',
        lang: 'ar',
        createdAt: at('17:00:00'),
        status: 'waiting_human',
        team: 'logistics',
      });
      const q = await c.message({ role: 'customer', at: at('17:00:00'), content: HOSTILE, sentiment: -0.2 });
      await c.handoff({
        at: at('17:00:01'),
        reason: 'low_confidence',
        confidence: 0.31,
        team: 'logistics',
        messageId: q,
        question: HOSTILE,
        candidates: [{ articleId: 'delivery-times', score: 0.31 }],
      });
      await createStaff(deps.db, { ...SUPERVISOR, role: 'supervisor', password: PASSWORD, team: null });
      await createStaff(deps.db, { ...AGENT, role: 'agent', password: PASSWORD, team: null });
      served = await serveApp(deps.service.app().fetch);
      await pages.start();
    }, 240_000);
    afterEach(() => pages.closePages());
    afterAll(async () => {
      await pages.close();
      await served?.close();
      await deps?.close();
    });

    const newPage = (viewport = { width: 1360, height: 900 }) => pages.newPage({ viewport, acceptDownloads: true });

    async function signIn(page: Page, who: { email: string }, path: string) {
      await page.goto(`${served.url}${path}`);
      await page.waitForURL(/\/console\/login/);
      await page.getByLabel('البريد الإلكتروني').fill(who.email);
      await page.getByLabel('كلمة المرور').fill(PASSWORD);
      await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
      await page.waitForURL((url) => url.pathname === new URL(path, served.url).pathname);
    }

    it('ar: the hand-off log, its CSV, a transcript, and the KPI page', async () => {
      const page = await newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signIn(page, SUPERVISOR, '/console/supervisor/handoffs?locale=ar');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.getAttribute('html', 'lang')).toBe('ar');

      // The seeded day, through the filter form as a supervisor would pick it.
      await page.getByLabel('الفترة').selectOption('');
      await page.getByLabel('من').fill('2026-01-10');
      await page.getByLabel('إلى').fill('2026-01-10');
      await page.getByRole('button', { name: 'تطبيق' }).click();
      await page.waitForURL(/from=2026-01-10/);
      const rows = page.locator('#handoff-log tbody tr');
      expect(await rows.count()).toBe(4);
      const firstRow = rows.first();
      // The customer's markup is text: shown as typed, never run.
      expect(await firstRow.locator('td.q').textContent()).toBe(HOSTILE);
      expect(await page.title()).not.toContain('pwned');
      expect(await page.locator('#handoff-log img').count()).toBe(0);
      await expect.poll(() => page.locator('#handoff-log').textContent()).toContain('ثقة منخفضة');
      expect(await page.locator('#handoff-log').textContent()).toContain('أمل');
      expect(await page.locator('#handoff-log').textContent()).toContain('2 د 0 ث');
      // Right to left: the table's first column (time) sits at the right.
      const table = await page.locator('#handoff-log').boundingBox();
      const when = await page.locator('#handoff-log thead th').first().boundingBox();
      expect((when?.x ?? 0) + (when?.width ?? 0)).toBeGreaterThan((table?.x ?? 0) + (table?.width ?? 0) - 20);
      await screenshot(page, 'supervisor-ar-handoffs');

      // Filter by reason, then export what is shown.
      await page.getByLabel('السبب').selectOption('low_confidence');
      await page.getByRole('button', { name: 'تطبيق' }).click();
      await page.waitForURL(/reason=low_confidence/);
      expect(await rows.count()).toBe(2);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'تصدير CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('handoffs-2026-01-10-2026-01-11.csv');
      const csv = (await readFile((await download.path()) as string, 'utf8')).replace(/^\uFEFF/, '');
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^handoff_id,created_at,reason,confidence/);
      expect(lines).toHaveLength(3);
      expect(lines.every((l, i) => i === 0 || l.includes(',low_confidence,'))).toBe(true);
      expect(csv).toContain('وين طلبي؟');

      // The transcript of the refunds hand-off: messages in order, the candidates with their scores.
      await rows.nth(1).locator('td a').first().click();
      await page.waitForURL(/\/console\/supervisor\/conversations\//);
      const mark = page.locator('.handoff-mark');
      expect(await mark.count()).toBe(1);
      expect(await mark.textContent()).toContain('title of refund-timeline');
      expect(await mark.textContent()).toContain('0.4');
      expect(await page.locator('.msg').count()).toBe(5);
      expect(await page.locator('.msg.bot').first().textContent()).toContain('غير مفيدة');
      await screenshot(page, 'supervisor-ar-transcript');

      // The KPI page for the same day, by channel.
      await page.setViewportSize({ width: 1360, height: 2000 });
      await page.goto(`${served.url}/console/supervisor?locale=ar&period=&from=2026-01-10&to=2026-01-10&by=channel`);
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      const tiles = page.locator('.tile');
      expect(await tiles.count()).toBeGreaterThanOrEqual(12);
      // 8 conversations (7 seeded + the hostile one): 3 contained.
      await expect.poll(() => tiles.nth(0).locator('.value').textContent()).toBe('8');
      expect(await tiles.nth(1).locator('.value').textContent()).toMatch(/^37\.5\D*%\D*$/);
      expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(4);
      // The reasons chart's labels are Arabic, at the right of their bars.
      const chart = page.locator('svg.chart').first();
      const label = chart.locator('text', { hasText: 'ثقة منخفضة' });
      const bar = chart.locator('rect').first();
      expect(((await label.boundingBox())?.x ?? 0) > ((await bar.boundingBox())?.x ?? 0)).toBe(true);
      expect(await page.locator('#threshold-title').textContent()).toBe('حد الثقة');
      const inForce = { ar: answerThreshold(deps.config, 'ar'), en: answerThreshold(deps.config, 'en') };
      expect(inForce.ar).not.toBe(inForce.en);
      // Without a language filter the curve marks English's; the line below names both.
      expect(await page.locator('body').textContent()).toContain(`${inForce.en.toFixed(2)} (الحالي)`);
      expect(await page.getByTestId('threshold-by-language').textContent()).toContain(
        `العربية ${inForce.ar.toFixed(2)}، الإنجليزية ${inForce.en.toFixed(2)}`,
      );
      await screenshot(page, 'supervisor-ar-kpis');

      // The containment audit lists the three counted conversations.
      await page.getByRole('link', { name: 'عرض المحادثات المحسوبة' }).click();
      await page.waitForURL(/\/console\/supervisor\/contained/);
      expect(await page.locator('tbody tr').count()).toBe(3);
      expect(errors).toEqual([]);
    });

    it('a bad range is explained on the page; an agent is refused', async () => {
      const page = await newPage();
      await signIn(page, SUPERVISOR, '/console/supervisor?locale=ar');
      const res = await page.goto(`${served.url}/console/supervisor?locale=ar&from=2026-02-01&to=2026-01-01`);
      expect(res?.status()).toBe(400);
      expect(await page.locator('.error').textContent()).toContain('must be before');
      await page.context().close();

      const agentPage = await newPage();
      await signIn(agentPage, AGENT, '/console/supervisor?locale=ar');
      expect(await agentPage.locator('.error').textContent()).toContain('للمشرفين');
      const csv = await agentPage.request.get(`${served.url}/v1/reports/handoffs/export`);
      expect(csv.status()).toBe(403);
    });
  },
);
