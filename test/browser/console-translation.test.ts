/**
 * An agent who does not read the customer's language, in Debian's Chromium. With a model
 * configured (msw plays OpenAI; any request off this machine fails the test): an Arabic
 * customer writes in the widget, the English-speaking agent claims the conversation and reads a
 * translation under each message, sees the customer typing, writes in English, translates the
 * reply into Arabic and sends it; the customer sees the agent typing, then the Arabic reply.
 * Without a model, an Arabic-speaking agent opening an English conversation is told that
 * translation needs one. Screenshots go to test-results/screenshots.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/auth/staff.js';
import type { Channel } from '../../src/channels/index.js';
import { testDeps } from '../helpers/backends.js';
import { browserAvailable, browserPages, type Served, screenshot, serveApp } from '../helpers/browser.js';

const PASSWORD = 'translation-test-password-1';
const AGENT = { email: 'mona.t@souq.example', name: 'Mona Al-Harbi' };
const AGENT_AR = { email: 'noura.t@souq.example', name: 'نورة القحطاني' };
const QUESTION = 'طلبي ما وصل للحين وأبي أكلم موظف';
const INTO_ENGLISH = "My order still hasn't arrived and I want to talk to someone.";
const INTO_ARABIC = 'طلبك في الطريق وسيصل غدًا إن شاء الله.';
const STEP_MS = 30_000;

const translations: { to: string; text: string }[] = [];

// The model: translations by the language asked for; anything else it is asked gets a plain answer.
const model = setupServer(
  http.post('https://api.openai.com/v1/chat/completions', async ({ request }) => {
    const body = (await request.json()) as { stream?: boolean; messages: { role: string; content: string }[] };
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    let content = 'We are looking into it.';
    if (system.startsWith("Translate the user's")) {
      const to = system.includes('into English') ? 'en' : 'ar';
      translations.push({ to, text: user });
      content = to === 'en' ? INTO_ENGLISH : INTO_ARABIC;
    }
    if (body.stream) {
      const chunk = (delta: Record<string, unknown>, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      return new HttpResponse(`${chunk({ role: 'assistant', content }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`, {
        headers: { 'content-type': 'text/event-stream' },
      });
    }
    return HttpResponse.json({
      id: 'c',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
    });
  }),
);

const fake: Channel = {
  name: 'fake',
  async deliver(message) {
    return { status: 'sent', channelMessageId: `out-${message.id}` };
  },
};

describe.skipIf(!browserAvailable)('translation in the agent console (skipped: no Chromium at CHROMIUM_PATH)', () => {
  let withModel: Awaited<ReturnType<typeof testDeps>>;
  let withoutModel: Awaited<ReturnType<typeof testDeps>>;
  let served: Served;
  let servedWithout: Served;
  const pages = browserPages(STEP_MS);

  beforeAll(async () => {
    // The service's own requests to this machine (the browser's pages) pass; anything else is an error.
    model.listen({
      onUnhandledRequest(request, print) {
        const { hostname } = new URL(request.url);
        if (hostname !== '127.0.0.1' && hostname !== 'localhost') print.error();
      },
    });
    withModel = await testDeps({
      config: { OPENAI_API_KEY: 'sk-test', EMBEDDER: 'local', LLM_MAX_RETRIES: '0' },
      channels: [fake],
    });
    withoutModel = await testDeps({ channels: [fake] });
    await createStaff(withModel.db, { ...AGENT, role: 'agent', password: PASSWORD, team: null });
    await createStaff(withoutModel.db, { ...AGENT_AR, role: 'agent', password: PASSWORD, team: null });
    served = await serveApp(withModel.service.app().fetch);
    servedWithout = await serveApp(withoutModel.service.app().fetch);
    await pages.start();
  }, 240_000);
  afterEach(() => pages.closePages());
  afterAll(async () => {
    await pages.close();
    await served?.close();
    await servedWithout?.close();
    await withModel?.close();
    await withoutModel?.close();
    model.close();
  });

  const newPage = () => pages.newPage();

  async function signIn(page: Page, base: string, email: string) {
    const login = await page.context().request.post(`${base}/v1/auth/login`, { data: { email, password: PASSWORD } });
    expect(login.status()).toBe(200);
  }

  it('with a model: each Arabic message translated for an English-speaking agent, and the reply put into Arabic', async () => {
    const agent = await newPage();
    const customer = await newPage();
    const errors: string[] = [];
    agent.on('pageerror', (e) => errors.push(e.message));
    customer.on('pageerror', (e) => errors.push(e.message));

    // The customer asks for a person in Arabic, in the widget.
    await customer.goto(`${served.url}/?locale=ar`);
    await customer.getByRole('button', { name: 'افتح المحادثة مع خدمة العملاء' }).click();
    await customer.getByLabel('اكتب رسالتك').fill(QUESTION);
    await customer.keyboard.press('Enter');
    const widget = customer.locator('#sanad-widget');
    await widget.locator('.msg.bot[data-id]').first().waitFor();
    const id = await customer.evaluate(
      () => JSON.parse(localStorage.getItem(`sanad:session:${location.origin}`) ?? '{}').conversationId as string,
    );
    const [row] = await withModel.db.query<{ status: string }>('SELECT status FROM conversations WHERE id = $1', [id]);
    if (row?.status === 'bot') await customer.getByRole('button', { name: 'التحدث مع موظف' }).click();
    await widget.locator('.status').getByText('أنت في قائمة الانتظار').waitFor();

    // The English-speaking agent claims it: the customer's message has its translation beneath.
    await signIn(agent, served.url, AGENT.email);
    await agent.goto(`${served.url}/console/conversations/${id}?locale=en`);
    await agent.getByRole('button', { name: 'Claim' }).click();
    await agent.locator('#conv-meta [data-status="assigned"]').waitFor();
    const asked = agent.locator('#thread .msg.customer').filter({ hasText: QUESTION });
    await asked.locator('.translation').getByText(INTO_ENGLISH).waitFor();
    expect(await asked.locator('.translation .label').textContent()).toBe('Translation');
    expect(await agent.locator('#translation-notice').isHidden()).toBe(true);
    // What the model was shown is the customer's text, and it was asked for English.
    expect(translations.some((t) => t.to === 'en' && t.text.includes('طلبي'))).toBe(true);

    // The customer types: the agent sees it without a reload.
    await customer.getByLabel('اكتب رسالتك').fill('متى بيوصل؟');
    await agent
      .locator('#typing')
      .getByText(/is typing/)
      .waitFor();

    // The agent writes in English, translates into Arabic, checks it and sends it.
    const translate = agent.getByRole('button', { name: 'Translate your reply into Arabic' });
    await translate.waitFor();
    await agent.locator('#reply').fill('Your order is on its way and arrives tomorrow.');
    // The customer sees the agent typing, by name.
    await widget.locator('.typing').getByText(AGENT.name).waitFor();
    await translate.click();
    await expect.poll(() => agent.locator('#reply').inputValue()).toBe(INTO_ARABIC);
    expect(await agent.locator('#composer-hint').textContent()).toContain('translated into Arabic');
    expect(translations.some((t) => t.to === 'ar' && t.text.includes('on its way'))).toBe(true);
    await screenshot(agent, 'console-en-translation');
    await agent.keyboard.press('Enter');

    // The customer reads the Arabic reply under the agent's name; the agent reads it in English beneath.
    const answer = widget.locator('.msg.agent[data-id]').last();
    await answer.getByText(INTO_ARABIC).waitFor();
    expect(await answer.locator('.who').textContent()).toBe(AGENT.name);
    await expect.poll(() => widget.locator('.typing').count()).toBe(0);
    await agent.locator('#thread .msg.agent .translation').getByText(INTO_ENGLISH).waitFor();
    await screenshot(customer, 'console-en-translation-customer');
    expect(errors).toEqual([]);
  }, 240_000);

  it('without a model: the console says translation needs one, in Arabic, and offers none', async () => {
    const agent = await newPage();
    const errors: string[] = [];
    agent.on('pageerror', (e) => errors.push(e.message));
    const outcome = await withoutModel.inbox.receiveFrom({
      channel: 'fake',
      contact: { externalId: '+966500000111', name: 'Sam' },
      text: 'I want to talk to a person about my order',
      lang: 'en',
      intent: 'human',
    });
    const id = outcome.message.conversation_id;
    await signIn(agent, servedWithout.url, AGENT_AR.email);
    await agent.goto(`${servedWithout.url}/console/conversations/${id}?locale=ar`);
    expect(await agent.getAttribute('html', 'dir')).toBe('rtl');
    await agent.locator('#thread .msg.customer').first().waitFor();
    const notice = agent.locator('#translation-notice');
    await notice.getByText('الترجمة تحتاج إلى نموذج لغوي').waitFor();
    expect(await notice.textContent()).toContain('الإنجليزية');
    expect(await agent.locator('#thread .translation').count()).toBe(0);
    await agent.getByRole('button', { name: 'استلام' }).click();
    await agent.locator('#conv-meta [data-status="assigned"]').waitFor();
    expect(await agent.locator('#translate-reply').isHidden()).toBe(true);
    await screenshot(agent, 'console-ar-translation-needs-model');
    expect(errors).toEqual([]);
  }, 120_000);
});
