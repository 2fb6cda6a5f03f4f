import { type HandoffRecord, recordHandoff } from '../inbox/handoffs.js';
import {
  addModelCalls,
  type Conversation,
  getConversation,
  type Message,
  replyAfter,
  sentimentTrend,
  setSentiment,
  storeBotMessage,
  storeCustomerMessage,
} from '../inbox/store.js';
import { validateMessageText } from '../inbox/validate.js';
import { getArticle } from '../knowledge/articles.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Retrieval } from '../knowledge/retrieve.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/db.js';
import type { Metrics } from '../platform/http/metrics.js';
import { problems } from '../platform/http/problem.js';
import type { Logger } from '../platform/log.js';
import { detectLanguage, type Lang } from '../text/language.js';
import { PII_PLACEHOLDER, redact } from '../text/redact.js';
import { asksForHuman } from '../understanding/human-request.js';
import { onlySaysNotHelped, saysNotHelped } from '../understanding/not-helped.js';
import type { SentimentScore, SentimentScorer } from '../understanding/sentiment/sentiment.js';
import { smallTalk, smallTalkReply } from '../understanding/small-talk.js';
import type { Answer, Answerer } from './answerer.js';
import { ModelUnavailableError } from './answerer.js';
import {
  type HandoffReason,
  handoffNotice,
  handoffPriority,
  isSensitive,
  rephraseRequest,
  sentimentNeedsPerson,
} from './policy.js';

export interface TurnDeps {
  db: Db;
  kb: KnowledgeBase;
  config: Config;
  log: Logger;
  metrics?: Metrics;
  sentiment: SentimentScorer;
  /** The local scorer, used once the conversation's model budget is spent. */
  localSentiment?: SentimentScorer;
  local: Answerer;
  /** Present when a model is configured. */
  llm?: Answerer;
}

export interface TurnResult {
  message: Message;
  duplicate: boolean;
  /** The bot's reply: an answer, or the notice that a person will take over. */
  reply?: Message;
  handoff?: HandoffRecord;
  /** True when the bot stayed quiet because a person has the conversation. */
  silent?: boolean;
  sentiment?: SentimentScore;
  answer?: Answer;
  retrieval?: Retrieval;
}

/**
 * One turn, the same for every channel: store → language → redact → sentiment → explicit
 * request for a person → retrieve → answer → confidence → answer or hand off.
 */
export async function handleCustomerMessage(
  deps: TurnDeps,
  conversationId: string,
  text: string,
  options: { channelMessageId?: string | null } = {},
): Promise<TurnResult> {
  const { db, config } = deps;
  const content = validateMessageText(text, config.MESSAGE_MAX_CHARS);
  const conversation = await getConversation(db, conversationId);
  if (!conversation) throw problems.notFound('Conversation', conversationId);
  if (conversation.status === 'resolved' || conversation.status === 'closed') {
    throw problems.conflict(
      'conversation-closed',
      `The conversation is ${conversation.status}; open a new conversation to write again.`,
    );
  }
  // Without a letter ("👍", "?", "123") the text says nothing about the language: keep the conversation's.
  const lang: Lang = (!/\p{L}/u.test(content) && conversation.lang) || detectLanguage(content).lang;
  const { message, duplicate } = await storeCustomerMessage(db, {
    conversationId,
    content,
    lang,
    channelMessageId: options.channelMessageId,
  });
  if (duplicate) return { message, duplicate, reply: await replyAfter(db, message) };
  if (conversation.status !== 'bot') return { message, duplicate, silent: true };

  const question = redact(content).text;
  // Model sentiment counts against the conversation's model budget; past it, the local scorer.
  const useModel = deps.llm !== undefined && deps.localSentiment !== undefined;
  const withinBudget = conversation.model_calls < config.LLM_MAX_CALLS_PER_CONVERSATION;
  const scorer = useModel && !withinBudget ? (deps.localSentiment as SentimentScorer) : deps.sentiment;
  const sentiment = await scorer.score(question, lang);
  if (useModel && withinBudget) {
    await addModelCalls(db, conversationId, 1);
    conversation.model_calls += 1;
  }
  await setSentiment(db, message.id, sentiment.score, sentiment.label);
  const result: TurnResult = {
    message: { ...message, sentiment_score: sentiment.score, sentiment_label: sentiment.label },
    duplicate,
    sentiment,
  };

  const handOff = async (
    reason: HandoffReason,
    extra: { confidence?: number; retrieval?: Retrieval; team?: string | null } = {},
  ) => {
    // A question without a searchable word ("ok", "👍") matches articles by chance: they are
    // no evidence of the topic and must not route the conversation.
    const matched = extra.retrieval?.queryTerms.length ? extra.retrieval.articles : [];
    const candidates = matched.map((a) => ({
      articleId: a.articleId,
      title: a.title,
      score: round(a.score),
      similarity: round(a.similarity),
    }));
    const team = extra.team ?? matched[0]?.team ?? config.DEFAULT_TEAM;
    const { handoff, reply } = await db.transaction(async (tx) => {
      const handoff = await recordHandoff(tx, {
        conversationId,
        message_id: message.id,
        reason,
        confidence: extra.confidence ?? null,
        sentiment: sentiment.score,
        question,
        candidates,
        team,
        priority: handoffPriority(reason, sentiment.score),
      });
      const reply = await storeBotMessage(tx, {
        conversationId,
        content: handoffNotice(lang),
        lang,
        confidence: extra.confidence ?? 0,
        meta: { handoff: reason },
      });
      return { handoff, reply };
    });
    deps.metrics?.handoffs.inc({ reason });
    deps.metrics?.turns.inc({ outcome: 'handoff' });
    deps.log.info({ conversationId, reason, team }, 'handed off to a person');
    return { ...result, handoff, reply, retrieval: extra.retrieval };
  };

  if (asksForHuman(content)) return handOff('customer_request');
  if (sentimentNeedsPerson(await sentimentTrend(db, conversationId), config.NEGATIVE_SENTIMENT_THRESHOLD)) {
    return handOff('negative_sentiment');
  }

  // A bare greeting or thanks gets a courteous reply instead of a search (and a needless hand-off).
  const chat = smallTalk(content);
  if (chat) {
    const reply = await storeBotMessage(db, {
      conversationId,
      content: smallTalkReply(chat, lang, content),
      lang,
      confidence: 1,
      meta: { smallTalk: chat },
    });
    deps.metrics?.turns.inc({ outcome: 'small_talk' });
    return { ...result, reply };
  }

  // A failure is the customer telling us the last answer missed; follow-ups on the same topic are not.
  const failures = saysNotHelped(content) ? conversation.bot_failures + 1 : 0;
  // "That didn't help" on its own is feedback, not a question: searching the knowledge base for
  // it finds nothing (a low-confidence hand-off under the wrong reason) or an unrelated article.
  const complaintOnly = failures > 0 && onlySaysNotHelped(content);

  const retrieval = complaintOnly ? undefined : await retrieve(deps.kb, withoutPlaceholders(question), lang);

  if (failures >= 2) {
    // Route to the team of the article that missed, not to whatever the complaint's words matched.
    const missed = conversation.last_article_id ? await getArticle(db, conversation.last_article_id) : undefined;
    return handOff('repeated_failure', { retrieval, team: missed?.team });
  }
  if (!retrieval) {
    // First miss: one more chance: ask the customer to say it another way.
    const reply = await db.transaction(async (tx) => {
      const reply = await storeBotMessage(tx, {
        conversationId,
        content: rephraseRequest(lang),
        lang,
        confidence: 0,
        meta: { clarify: 'not_helped' },
      });
      await tx.query('UPDATE conversations SET bot_failures = $2, updated_at = now() WHERE id = $1', [
        conversationId,
        failures,
      ]);
      return reply;
    });
    deps.metrics?.turns.inc({ outcome: 'clarify' });
    return { ...result, reply };
  }

  const outcome = await answerWithFallback(deps, conversation, { question, lang, retrieval });
  if (outcome.kind === 'unavailable')
    return handOff('model_unavailable', { confidence: outcome.confidence, retrieval });
  const answer = outcome.answer;
  result.answer = answer;
  const cited = retrieval.articles.find((a) => a.articleId === answer.citations[0]?.articleId);
  if (answer.answered && cited && isSensitive(cited.tags, config.SENSITIVE_TAGS)) {
    return handOff('sensitive_topic', { confidence: answer.confidence, retrieval, team: cited.team });
  }
  if (!answer.answered || answer.confidence < config.ANSWER_THRESHOLD) {
    return handOff('low_confidence', { confidence: answer.confidence, retrieval });
  }

  const reply = await db.transaction(async (tx) => {
    const reply = await storeBotMessage(tx, {
      conversationId,
      content: answer.text,
      lang,
      confidence: answer.confidence,
      citations: answer.citations,
      meta: { answerer: answer.answerer },
    });
    await tx.query(
      'UPDATE conversations SET last_article_id = $2, bot_failures = $3, lang = COALESCE(lang, $4), updated_at = now() WHERE id = $1',
      [conversationId, answer.citations[0]?.articleId ?? null, failures, lang],
    );
    return reply;
  });
  deps.metrics?.turns.inc({ outcome: 'answered' });
  return { ...result, reply, retrieval };
}

type AnswerOutcome = { kind: 'answer'; answer: Answer } | { kind: 'unavailable'; confidence: number };

/**
 * The LLM when configured and within the conversation's budget; when the model fails (after
 * the client's bounded retries) the local answer stands in if it is confident enough.
 */
async function answerWithFallback(
  deps: TurnDeps,
  conversation: Conversation,
  input: { question: string; lang: Lang; retrieval: Retrieval },
): Promise<AnswerOutcome> {
  const local = () => deps.local.answer(input);
  if (!deps.llm) return { kind: 'answer', answer: await local() };
  let failure: unknown;
  if (conversation.model_calls < deps.config.LLM_MAX_CALLS_PER_CONVERSATION) {
    try {
      const answer = await deps.llm.answer(input);
      await addModelCalls(deps.db, conversation.id, answer.modelCalls ?? 1);
      return { kind: 'answer', answer };
    } catch (error) {
      if (!(error instanceof ModelUnavailableError)) throw error;
      await addModelCalls(deps.db, conversation.id, 1);
      failure = error;
    }
  } else {
    failure = new ModelUnavailableError('the conversation used its model-call budget');
  }
  deps.log.warn({ conversationId: conversation.id, err: failure }, 'model unavailable; trying the local answer');
  const fallback = await local();
  if (fallback.answered && fallback.confidence >= deps.config.ANSWER_THRESHOLD)
    return { kind: 'answer', answer: fallback };
  return { kind: 'unavailable', confidence: fallback.confidence };
}

const PLACEHOLDERS = new RegExp(
  Object.values(PII_PLACEHOLDER)
    .map((p) => p.replace(/[[\]]/g, '\\$&'))
    .join('|'),
  'g',
);

/** The placeholders redaction leaves ("[PHONE]", "[CARD]") are not the customer's topic: a
 *  question about the weather with a phone number in it must not match the contact article. */
function withoutPlaceholders(question: string): string {
  return question.replace(PLACEHOLDERS, ' ');
}

async function retrieve(kb: KnowledgeBase, question: string, lang: Lang): Promise<Retrieval> {
  const retriever = await kb.retriever();
  const retrieval = await retriever.retrieve(question, { lang });
  return retrieval.articles.length === 0 ? retriever.retrieve(question) : retrieval;
}

function round(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 1e4) / 1e4 : 0;
}
