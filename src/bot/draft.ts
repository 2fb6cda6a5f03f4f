import type { Retrieval } from '../knowledge/retrieve.js';
import type { Lang } from '../text/language.js';
import { redact } from '../text/redact.js';
import { safeInline, safeMarkdown } from '../text/safe-markdown.js';
import type { SentimentScore } from '../understanding/sentiment/sentiment.js';
import type { Answer } from './answerer.js';
import { type BotDeps, retrieve, withoutPlaceholders } from './decide.js';

export interface Draft {
  /** The customer's message with personal data redacted: all the model saw of it. */
  question: string;
  lang: Lang;
  sentiment: SentimentScore;
  retrieval: Retrieval;
  /** The extractive answer from the best passage, always. */
  local?: Answer;
  /** The model's answer, when one is configured and answered. */
  llm?: Answer;
}

const clean = (answer: Answer): Answer => ({
  ...answer,
  text: safeMarkdown(answer.text),
  citations: answer.citations.map((c) => ({ ...c, title: safeInline(c.title) })),
});

/**
 * What the bot would say to a message, whatever its confidence: the copilot's material for an
 * agent's reply. Reads the knowledge base, writes nothing; a failing model just drafts nothing.
 */
export async function draft(
  deps: BotDeps,
  message: { content: string; lang: Lang },
  options: { signal?: AbortSignal } = {},
): Promise<Draft> {
  const question = redact(message.content).text;
  const { lang } = message;
  const [retrieval, sentiment] = await Promise.all([
    retrieve(deps.kb, withoutPlaceholders(question), lang),
    deps.localSentiment.score(question, lang),
  ]);
  const input = { question, lang, retrieval };
  const local = await deps.local.answer(input, {});
  let llm: Answer | undefined;
  if (deps.llm) {
    llm = await deps.llm
      .answer(input, { signal: options.signal ?? AbortSignal.timeout(deps.config.TURN_DEADLINE_MS) })
      .catch((err) => {
        deps.log.warn({ err }, 'the model could not draft a suggestion');
        return undefined;
      });
  }
  return {
    question,
    lang,
    sentiment,
    retrieval,
    local: local.answered && local.text.trim() ? clean(local) : undefined,
    llm: llm?.answered && llm.text.trim() ? clean(llm) : undefined,
  };
}
