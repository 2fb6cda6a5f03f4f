import type OpenAI from 'openai';
import { createLlmClient } from '../bot/llm-client.js';
import { type Config, llmConfigured } from '../platform/config.js';
import { Problem } from '../platform/http/problem.js';
import type { Lang } from '../text/language.js';
import { redact } from '../text/redact.js';
import { safeMarkdown } from '../text/safe-markdown.js';

const LANGUAGE = { ar: 'Arabic (Modern Standard Arabic, warm customer-service tone)', en: 'English' } as const;

const INSTRUCTIONS = (to: Lang) =>
  `Translate the user's customer-service message into ${LANGUAGE[to]}. Keep the meaning, tone, Markdown, numbers, ` +
  'links and placeholders such as [PHONE] exactly. Reply with the translation only.';

/**
 * Translation for an agent who does not read the customer's language: each message shown in the
 * agent's, and the agent's reply put into the customer's. It needs a model; personal data is
 * redacted before the model sees the text, and its placeholders stay in the translation.
 */
export function translator(config: Config) {
  const client: OpenAI | undefined = llmConfigured(config) ? createLlmClient(config) : undefined;
  return {
    available: client !== undefined,
    async translate(text: string, to: Lang): Promise<{ text: string; model: string }> {
      if (!client) {
        throw new Problem(
          409,
          'translation-needs-model',
          'Translation needs a model',
          'Set OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server) to translate messages and replies.',
        );
      }
      const res = await client.chat.completions.create({
        model: config.CHAT_MODEL,
        temperature: 0,
        messages: [
          { role: 'system', content: INSTRUCTIONS(to) },
          { role: 'user', content: redact(text).text.slice(0, 4000) },
        ],
      });
      const translated = res.choices[0]?.message?.content?.trim();
      if (!translated) {
        throw new Problem(502, 'translation-failed', 'The model gave no translation', 'Try again in a moment.');
      }
      return { text: safeMarkdown(translated), model: config.CHAT_MODEL };
    },
  };
}
