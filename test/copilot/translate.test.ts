/**
 * Translation for agents: with a model (msw stands in for OpenAI; any other request fails the
 * test) the text is translated after personal data is redacted; without one, a clear 409.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/copilot/translate.js';
import { testConfig } from '../helpers/backends.js';

const CHAT_URL = 'https://api.openai.com/v1/chat/completions';
const seen: string[] = [];
const server = setupServer(
  http.post(CHAT_URL, async ({ request }) => {
    const body = (await request.json()) as { messages: { role: string; content: string }[] };
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    seen.push(user);
    return HttpResponse.json({
      id: 'x',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', content: 'My order has not arrived; call me on [PHONE] <script>x</script>' },
        },
      ],
    });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

describe('translation', () => {
  it('redacts personal data before the model, and returns safe Markdown', async () => {
    const t = translator(testConfig({ OPENAI_API_KEY: 'sk-test', LLM_MAX_RETRIES: '0' }));
    expect(t.available).toBe(true);
    const out = await t.translate('طلبي ما وصل، اتصلوا علي على 0551234567', 'en');
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain('0551234567');
    expect(seen[0]).toContain('[PHONE]');
    expect(out.text).toContain('My order has not arrived');
    expect(out.text).not.toContain('<script');
  });

  it('without a model: 409 translation-needs-model, and no request is made', async () => {
    const t = translator(testConfig());
    expect(t.available).toBe(false);
    await expect(t.translate('hello', 'ar')).rejects.toMatchObject({ status: 409, slug: 'translation-needs-model' });
    expect(seen).toHaveLength(0);
  });
});
