import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Retrieval, Retriever } from '../knowledge/retrieve.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/log.js';
import { arabiziToArabic } from '../text/arabizi.js';
import { detectLanguage, type Lang } from '../text/language.js';
import { normaliseForSearch } from '../text/normalise.js';
import { PII_PLACEHOLDER, redact } from '../text/redact.js';
import { safeInline, safeMarkdown } from '../text/safe-markdown.js';
import { terms } from '../text/tokenise.js';
import { asksForHuman } from '../understanding/human-request.js';
import { onlySaysNotHelped, saysNotHelped } from '../understanding/not-helped.js';
import type { SentimentScore, SentimentScorer } from '../understanding/sentiment/sentiment.js';
import { smallTalk, smallTalkReply } from '../understanding/small-talk.js';
import { soundsUpset } from '../understanding/upset.js';
import { type Answer, type Answerer, ModelUnavailableError } from './answerer.js';
import { choicesFor, clarifyReply, resolveChoice } from './clarify.js';
import { answerThreshold, evidenceOf, retrievalConfidence } from './confidence.js';
import type { ConversationSnapshot, Decision, HandoffCandidate, IncomingMessage } from './decision.js';
import type { AssistTrace, ModelAssists } from './model-assists.js';
import {
  type HandoffReason,
  handoffNotice,
  handoffPriority,
  isSensitive,
  rephraseRequest,
  sentimentNeedsPerson,
  unsupportedContentReply,
} from './policy.js';

export interface BotDeps {
  kb: KnowledgeBase;
  config: Config;
  log: Logger;
  sentiment: SentimentScorer;
  /** The local scorer: once the conversation's model budget is spent, and when the turn is silent. */
  localSentiment: SentimentScorer;
  local: Answerer;
  /** Present when a model is configured. */
  llm?: Answerer;
  /** The model assists switched on (follow-up rewrite, rerank); none without a model. */
  assists?: ModelAssists;
}

export interface DecideOptions {
  /** The reply as it is produced (sanitised, cumulative); only for answers likely to be sent. */
  onText?: (soFar: string) => void;
}

/** A turn that ran out of time: model calls are cancelled and the bot decides with what it has. */
export class TurnDeadlineError extends Error {
  constructor(ms: number) {
    super(`the turn took longer than ${ms} ms`);
  }
}

/**
 * The bot's whole judgement on one customer message: language → redact → sentiment → request
 * for a person → small talk → retrieve → answer → confidence → answer, clarify or hand off. It
 * reads the knowledge base and writes nothing; every failure inside it (reindex, embedding
 * endpoint, model, deadline) becomes a decision, never an error.
 */
export async function decide(
  deps: BotDeps,
  message: IncomingMessage,
  snapshot: ConversationSnapshot,
  options: DecideOptions = {},
): Promise<Decision> {
  const deadlineMs = deps.config.TURN_DEADLINE_MS;
  const controller = new AbortController();
  // Model calls are cut at 80% of the deadline, leaving time for the local answer to stand in.
  const softTimer = setTimeout(() => controller.abort(new TurnDeadlineError(deadlineMs)), deadlineMs * 0.8);
  let hardTimer: NodeJS.Timeout | undefined;
  const progress: Progress = { lang: message.lang, question: redact(message.content).text, modelCalls: 0 };
  try {
    const hard = new Promise<Decision>((resolve) => {
      hardTimer = setTimeout(() => {
        deps.log.warn({ conversationId: snapshot.id, ms: deadlineMs }, 'turn deadline reached; handing off');
        resolve(handoffFrom(deps, progress, snapshot, 'model_unavailable'));
      }, deadlineMs);
    });
    return await Promise.race([decideWithin(deps, message, snapshot, options, controller.signal, progress), hard]);
  } catch (error) {
    deps.log.error({ err: error, conversationId: snapshot.id }, 'the bot failed; handing off');
    return handoffFrom(deps, progress, snapshot, 'model_unavailable');
  } finally {
    clearTimeout(softTimer);
    clearTimeout(hardTimer);
    controller.abort();
  }
}

/** What a turn knows so far: a deadline or a failure hands off with it. */
interface Progress {
  lang: Lang;
  question: string;
  modelCalls: number;
  sentiment?: SentimentScore;
  retrieval?: Retrieval;
  confidence?: number;
  assists?: AssistTrace;
}

async function decideWithin(
  deps: BotDeps,
  message: IncomingMessage,
  snapshot: ConversationSnapshot,
  options: DecideOptions,
  signal: AbortSignal,
  progress: Progress,
): Promise<Decision> {
  const { config } = deps;
  const { lang, question } = progress;
  const content = message.content;
  if (snapshot.status !== 'bot') {
    // A person has the conversation: the bot stays quiet, but the agent still sees the mood.
    progress.sentiment = await deps.localSentiment.score(question, lang);
    return { ...common(progress, snapshot), kind: 'silent' };
  }

  // Model sentiment counts against the conversation's model budget; past it, the local scorer.
  const withinBudget = () => snapshot.modelCalls + progress.modelCalls < config.LLM_MAX_CALLS_PER_CONVERSATION;
  const modelSentiment = deps.llm !== undefined && withinBudget();
  progress.sentiment = await (modelSentiment ? deps.sentiment : deps.localSentiment).score(question, lang, { signal });
  if (modelSentiment) progress.modelCalls += 1;

  if (message.intent === 'human' || asksForHuman(content)) {
    return handoffFrom(deps, progress, snapshot, 'customer_request');
  }
  if (message.contentType && message.contentType !== 'text') {
    return {
      ...common(progress, snapshot),
      kind: 'clarify',
      why: 'unsupported_content',
      reply: unsupportedContentReply(lang),
    };
  }
  if (
    sentimentNeedsPerson(
      [...snapshot.sentimentTrend, progress.sentiment.score],
      config.NEGATIVE_SENTIMENT_THRESHOLD,
      soundsUpset(content),
    )
  ) {
    return handoffFrom(deps, progress, snapshot, 'negative_sentiment');
  }

  // The answer to "did you mean …?": the chosen article answers the question it was offered for;
  // "none of these" goes to a person; anything else is read as a new question, with no second offer.
  const pending = snapshot.pendingChoice;
  if (pending) {
    const resolved = resolveChoice(content, message.choice, pending.choices);
    if (resolved?.kind === 'none') {
      const offered = await deps.kb.article(pending.choices[0]?.articleId ?? '');
      return handoffFrom(deps, { ...progress, question: pending.question }, snapshot, 'clarification_failed', {
        team: offered?.team,
      });
    }
    if (resolved?.kind === 'article') {
      return answerChosen(deps, progress, snapshot, { ...pending, chosen: resolved.choice.articleId }, signal);
    }
  }

  // A bare greeting or thanks gets a courteous reply instead of a search (and a needless hand-off).
  const chat = smallTalk(content);
  if (chat) {
    return {
      ...common(progress, snapshot),
      kind: 'small_talk',
      topic: chat,
      reply: smallTalkReply(chat, lang, content),
    };
  }

  // A failure is the customer telling us the last answer missed; follow-ups on the same topic are not.
  const failures = saysNotHelped(content) ? snapshot.botFailures + 1 : 0;
  // "That didn't help" on its own is feedback, not a question: searching for it finds nothing
  // (a low-confidence hand-off under the wrong reason) or an unrelated article.
  const complaintOnly = failures > 0 && onlySaysNotHelped(content);
  // The answer threshold of the customer's language (a target precision reads its own table).
  const threshold = answerThreshold(config, lang);
  const crossLingual = config.CROSS_LINGUAL_RETRIEVAL ? threshold : undefined;
  if (!complaintOnly) progress.retrieval = await retrieve(deps.kb, searchText(question, lang), lang, crossLingual);
  // What retrieval and the answerer read: the message, or the standalone question a model made of it.
  let asked = question;
  // A short or elliptical follow-up ("and for STC Pay?", «طيب وإذا طلبي فوق ٢٠٠ ريال؟») is read with
  // the previous question: the combined question wins when retrieval is surer of it.
  const previous = snapshot.previousQuestion;
  // Only when the message alone is not enough, and in the same language as the one before.
  const sure = (r: Retrieval) => retrievalConfidence(evidenceOf(r));
  if (progress.retrieval && previous && !complaintOnly && isFollowUp(content)) {
    const unsure = sure(progress.retrieval) < threshold;
    // With LLM_FOLLOW_UP_REWRITE the model writes the standalone question (in any pair of
    // languages), even when the message alone found something: an elliptical message that
    // matches on its own words is often matched by chance. When the model fails, the two
    // questions are combined as without a model.
    let standalone: string | undefined;
    if (deps.assists?.rewrite && withinBudget()) {
      progress.modelCalls += 1;
      standalone = await deps.assists.rewrite({ previous: redact(previous.text).text, question, lang }, signal);
    }
    const combinedText = `${redact(previous.text).text} ${question}`;
    const text = standalone ?? (unsure && previous.lang === lang ? combinedText : undefined);
    if (text) {
      const combined = await retrieve(deps.kb, searchText(text, lang), lang, crossLingual);
      if (standalone ? sure(combined) >= sure(progress.retrieval) : sure(combined) > sure(progress.retrieval)) {
        progress.retrieval = combined;
        if (standalone) {
          asked = standalone;
          progress.assists = { ...progress.assists, rewritten: standalone };
        }
      }
    }
  }
  if (progress.retrieval && deps.assists?.rerank && progress.retrieval.articles.length > 1 && withinBudget()) {
    progress.modelCalls += 1;
    const reranked = await deps.assists.rerank({ question: asked, lang, retrieval: progress.retrieval }, signal);
    if (reranked) {
      const moved = reranked.articles[0]?.articleId !== progress.retrieval.articles[0]?.articleId;
      progress.retrieval = reranked;
      if (moved) progress.assists = { ...progress.assists, reranked: true };
    }
  }
  const top = progress.retrieval?.articles[0];
  if (top && top.lang !== lang) progress.assists = { ...progress.assists, crossLingual: true };
  const retrieval = progress.retrieval;

  if (failures >= 2) {
    // Route to the team of the article that missed, not to whatever the complaint's words matched.
    const missed = snapshot.lastArticleId ? await deps.kb.article(snapshot.lastArticleId) : undefined;
    return handoffFrom(deps, progress, snapshot, 'repeated_failure', { team: missed?.team, botFailures: failures });
  }
  if (!retrieval) {
    // First miss: one more chance: ask the customer to say it another way.
    return {
      ...common(progress, snapshot),
      botFailures: failures,
      kind: 'clarify',
      why: 'not_helped',
      reply: rephraseRequest(lang),
    };
  }

  // Stream only what is likely to be sent: below the threshold the turn will most likely hand off.
  const likely = retrievalConfidence(evidenceOf(retrieval)) >= threshold;
  const onText = likely && options.onText ? (t: string) => options.onText?.(safeMarkdown(t)) : undefined;
  const outcome = await answerWithFallback(
    deps,
    { question: asked, lang, retrieval },
    { signal, onText, withinBudget },
  );
  progress.modelCalls += outcome.modelCalls;
  progress.confidence = outcome.kind === 'answer' ? outcome.answer.confidence : outcome.confidence;
  if (outcome.kind === 'unavailable') return handoffFrom(deps, progress, snapshot, 'model_unavailable');
  const answer = { ...outcome.answer, text: safeMarkdown(outcome.answer.text) };
  answer.citations = answer.citations.map((c) => ({ ...c, title: safeInline(c.title) }));
  const cited = retrieval.articles.find((a) => a.articleId === answer.citations[0]?.articleId);
  if (answer.answered && cited && isSensitive(cited.tags, config.SENSITIVE_TAGS)) {
    return handoffFrom(deps, progress, snapshot, 'sensitive_topic', { team: cited.team, answer });
  }
  if (!answer.answered || !answer.text.trim() || answer.confidence < threshold) {
    // A second miss right after "did you mean …?" is not offered choices again.
    if (pending) return handoffFrom(deps, progress, snapshot, 'clarification_failed', { answer });
    // Middling confidence: the right article is often among the best few; let the customer pick.
    const choices =
      answer.answered && answer.confidence >= config.CLARIFY_MIN_CONFIDENCE ? choicesFor(retrieval, lang) : [];
    if (choices.length > 0) {
      return {
        ...common(progress, snapshot),
        botFailures: failures,
        kind: 'clarify',
        why: 'did_you_mean',
        choices: choices.map((c) => ({ ...c, title: safeInline(c.title) })),
        confidence: answer.confidence,
        reply: clarifyReply(choices, lang),
      };
    }
    return handoffFrom(deps, progress, snapshot, 'low_confidence', { answer });
  }
  return {
    ...common(progress, snapshot),
    botFailures: failures,
    kind: 'answer',
    reply: answer.text,
    answer,
    retrieval,
  };
}

/**
 * The customer chose an offered article: it answers the question the choices were offered
 * for (retrieved again, the chosen article first). Its confidence is what retrieval said; the
 * customer's choice stands in for the threshold. A sensitive article still goes to a person.
 */
async function answerChosen(
  deps: BotDeps,
  progress: Progress,
  snapshot: ConversationSnapshot,
  pick: { question: string; chosen: string },
  signal: AbortSignal,
): Promise<Decision> {
  const { lang } = progress;
  progress.question = pick.question;
  const retriever = await deps.kb.retriever();
  const found = await retriever.retrieve(searchText(pick.question, lang), { limit: 10 });
  const chosen = found.articles.find((a) => a.articleId === pick.chosen);
  if (!chosen) return handoffFrom(deps, progress, snapshot, 'clarification_failed');
  const retrieval = { ...found, articles: [chosen, ...found.articles.filter((a) => a !== chosen)] };
  progress.retrieval = retrieval;
  // The local answerer prefers an article in the customer's language: here the customer chose.
  const only = { ...retrieval, articles: [chosen] };
  const outcome = await answerWithFallback(
    deps,
    { question: pick.question, lang, retrieval: only },
    {
      signal,
      withinBudget: () => snapshot.modelCalls + progress.modelCalls < deps.config.LLM_MAX_CALLS_PER_CONVERSATION,
    },
  );
  progress.modelCalls += outcome.modelCalls;
  if (outcome.kind === 'unavailable') {
    progress.confidence = outcome.confidence;
    return handoffFrom(deps, progress, snapshot, 'model_unavailable');
  }
  const answer = { ...outcome.answer, text: safeMarkdown(outcome.answer.text) };
  answer.citations = answer.citations.map((c) => ({ ...c, title: safeInline(c.title) }));
  progress.confidence = answer.confidence;
  if (isSensitive(chosen.tags, deps.config.SENSITIVE_TAGS)) {
    return handoffFrom(deps, progress, snapshot, 'sensitive_topic', { team: chosen.team, answer });
  }
  if (!answer.answered || !answer.text.trim()) {
    return handoffFrom(deps, progress, snapshot, 'clarification_failed', { team: chosen.team, answer });
  }
  return { ...common(progress, snapshot), kind: 'answer', reply: answer.text, answer, retrieval };
}

function common(progress: Progress, snapshot: ConversationSnapshot) {
  return {
    lang: progress.lang,
    question: progress.question,
    sentiment: progress.sentiment ?? { score: 0, label: 'neutral' as const },
    modelCalls: progress.modelCalls,
    botFailures: snapshot.botFailures,
    retrieval: progress.retrieval,
    ...(progress.assists ? { assists: progress.assists } : {}),
  };
}

function handoffFrom(
  deps: BotDeps,
  progress: Progress,
  snapshot: ConversationSnapshot,
  reason: HandoffReason,
  extra: { team?: string | null; botFailures?: number; answer?: Answer } = {},
): Decision {
  const base = common(progress, snapshot);
  // A question without a searchable word ("ok", "👍") matches articles by chance: they are no
  // evidence of the topic and must not route the conversation.
  const matched = progress.retrieval?.queryTerms.length ? progress.retrieval.articles : [];
  const candidates: HandoffCandidate[] = matched.map((a) => ({
    articleId: a.articleId,
    title: safeInline(a.title),
    score: round(a.score),
    similarity: round(a.similarity),
  }));
  return {
    ...base,
    botFailures: extra.botFailures ?? base.botFailures,
    answer: extra.answer,
    kind: 'handoff',
    reason,
    team: extra.team ?? matched[0]?.team ?? deps.config.DEFAULT_TEAM,
    priority: handoffPriority(reason, base.sentiment.score),
    confidence: progress.confidence ?? null,
    candidates,
    reply: handoffNotice(progress.lang),
  };
}

type AnswerOutcome =
  | { kind: 'answer'; answer: Answer; modelCalls: number }
  | { kind: 'unavailable'; confidence: number; modelCalls: number };

/**
 * The LLM when configured and within the conversation's budget; when the model fails (after
 * the client's bounded retries, or cut by the turn's deadline) or its answer fails the
 * grounding checks, the local answer stands in if it is confident enough.
 */
async function answerWithFallback(
  deps: BotDeps,
  input: { question: string; lang: Lang; retrieval: Retrieval },
  options: { signal: AbortSignal; onText?: (t: string) => void; withinBudget: () => boolean },
): Promise<AnswerOutcome> {
  const local = () => deps.local.answer(input, { onText: deps.llm ? undefined : options.onText });
  if (!deps.llm) return { kind: 'answer', answer: await local(), modelCalls: 0 };
  let failure: unknown;
  let calls = 0;
  if (options.withinBudget()) {
    try {
      const answer = await deps.llm.answer(input, { signal: options.signal, onText: options.onText });
      if (answer.failure !== 'ungrounded') return { kind: 'answer', answer, modelCalls: answer.modelCalls ?? 1 };
      // The model said something the passages do not (an injection it obeyed, or a slip): the
      // extractive answer, which can only quote the knowledge base, stands in when it is confident.
      const fallback = await local();
      const calls = answer.modelCalls ?? 1;
      return fallback.answered && fallback.confidence >= answerThreshold(deps.config, input.lang)
        ? { kind: 'answer', answer: fallback, modelCalls: calls }
        : { kind: 'answer', answer, modelCalls: calls };
    } catch (error) {
      if (!(error instanceof ModelUnavailableError)) throw error;
      calls = 1;
      failure = error;
    }
  } else {
    failure = new ModelUnavailableError('the conversation used its model-call budget');
  }
  deps.log.warn({ err: failure }, 'model unavailable; trying the local answer');
  const fallback = await local();
  if (fallback.answered && fallback.confidence >= answerThreshold(deps.config, input.lang))
    return { kind: 'answer', answer: fallback, modelCalls: calls };
  return { kind: 'unavailable', confidence: fallback.confidence, modelCalls: calls };
}

const PLACEHOLDERS = new RegExp(
  Object.values(PII_PLACEHOLDER)
    .map((p) => p.replace(/[[\]]/g, '\\$&'))
    .join('|'),
  'g',
);

/** The placeholders redaction leaves ("[PHONE]", "[CARD]") are not the customer's topic: a
 *  question about the weather with a phone number in it must not match the contact article. */
export function withoutPlaceholders(question: string): string {
  return question.replace(PLACEHOLDERS, ' ');
}

/** What retrieval reads of the question: no placeholders, and Arabizi in Arabic letters. */
export function searchText(question: string, lang: Lang): string {
  const text = withoutPlaceholders(question);
  return lang === 'ar' && detectLanguage(text).arabizi ? arabiziToArabic(text) : text;
}

export async function retrieve(
  kb: KnowledgeBase,
  question: string,
  lang: Lang,
  crossLingualBelow?: number,
): Promise<Retrieval> {
  return retrieveWithFallback(await kb.retriever(), question, lang, undefined, crossLingualBelow);
}

/**
 * Articles in the customer's language first; when there are none (an English question to an
 * Arabic-only knowledge base), articles in any language. The eval ranks with this too.
 * With `crossLingualBelow` (CROSS_LINGUAL_RETRIEVAL: a multilingual embedding model), a
 * question its own language answers with less confidence than that is also searched in every
 * language, and the article nearer in meaning wins: the customer's words may match nothing in
 * an article written in the other language, so the vectors decide.
 */
export async function retrieveWithFallback(
  retriever: Retriever,
  question: string,
  lang: Lang,
  limit?: number,
  crossLingualBelow?: number,
): Promise<Retrieval> {
  const retrieval = await retriever.retrieve(question, { lang, limit });
  if (retrieval.articles.length === 0) return retriever.retrieve(question, { limit });
  if (crossLingualBelow === undefined || retrievalConfidence(evidenceOf(retrieval)) >= crossLingualBelow) {
    return retrieval;
  }
  const any = await retriever.retrieve(question, { limit });
  const best = (r: Retrieval) => r.articles[0]?.similarity ?? 0;
  return any.articles[0]?.lang !== lang && best(any) > best(retrieval) ? any : retrieval;
}

const FOLLOW_UP =
  /^\s*(and|ok(ay)? and|so|also|what about|how about|and if|and for|then|و|ف|طيب|طب|اوك|اوكي|وإذا|واذا|وإذا|ولو|وش عن|وماذا عن|ماذا عن|طيب و|وبالنسبه|بالنسبه)(\s|$)/iu;

/** A message that leans on the one before: short, or opening like a continuation. */
export function isFollowUp(text: string): boolean {
  const words = terms(text);
  return words.length > 0 && (words.length <= 2 || (FOLLOW_UP.test(normaliseForSearch(text)) && words.length <= 6));
}

function round(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 1e4) / 1e4 : 0;
}
