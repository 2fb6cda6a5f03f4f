import pino from 'pino';
import { answerThreshold, type Evidence, evidenceOf } from '../bot/confidence.js';
import { retrieveWithFallback, searchText } from '../bot/decide.js';
import { createLlmClient } from '../bot/llm-client.js';
import type { AssistTrace } from '../bot/model-assists.js';
import { type ParaphraseStats, paraphraseAll } from '../editor/generated-phrasing.js';
import type { Retriever } from '../knowledge/retrieve.js';
import { buildService, type Service } from '../modules.js';
import { compose } from '../platform/compose.js';
import type { Config } from '../platform/config.js';
import { throwawayDatabase } from '../platform/db/throwaway.js';
import { detectLanguage, type Lang } from '../text/language.js';
import { redact } from '../text/redact.js';
import { percentile, type RetrievalCase, readRetrievalCases } from './cases.js';

export interface RetrievalReport {
  top1: number;
  top3: number;
  mrr: number;
  answered_rate: number;
  answered_precision: number;
  oos_handoff_recall: number;
  cases: number;
  p50_ms: number;
  p95_ms: number;
}

export interface CaseOutcome {
  question: string;
  /** The case's language (given, else detected): per-language thresholds and figures. */
  lang: 'ar' | 'en';
  expected: string | null;
  rank: number | null;
  top: string | null;
  answered: boolean;
  answeredArticle: string | null;
  confidence: number | null;
  handoffReason: string | null;
  /** Evidence the confidence is built from (for calibration). */
  evidence?: Evidence;
  /** The bot asked "did you mean …?" offering these articles (ids). */
  clarified?: boolean;
  choices?: string[];
  /** The article the turn would cite (its label for calibration: turnTop === expected). */
  turnTop?: string | null;
  /** The turn's own best article (after the model assists, when on). */
  turnFirst?: string | null;
  /** What the model assists changed in the turn. */
  assists?: AssistTrace;
}

/**
 * Loads the knowledge base into a throw-away database, then puts every case through the
 * real conversation turn (a new conversation each), so answered/hand-off figures are the
 * bot's actual decisions at the configured threshold.
 */
export async function evaluateRetrieval(
  config: Config,
  kbDir: string,
  casesFile: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{
  report: RetrievalReport;
  outcomes: CaseOutcome[];
  importFailures: string[];
  paraphrases?: ParaphraseStats;
}> {
  const cases = await readRetrievalCases(casesFile);
  // The service as it runs (inbox, bot, events), on a throw-away database, without its start hooks.
  const db = await throwawayDatabase(config.DATABASE_URL);
  const service = await compose(config, pino({ level: 'silent' }), buildService({ print: () => {} }), {
    db,
    prefix: `sanad-eval-${process.pid}`,
  });
  try {
    const { kb } = service;
    const imported = await kb.importFolder(kbDir);
    // Paraphrasing runs as a job after each change in the service; here it runs once, before the cases.
    const paraphrases = config.LLM_PARAPHRASES
      ? await paraphraseAll(
          { db, client: createLlmClient(config), config, log: pino({ level: 'silent' }) },
          { index: (ids) => kb.indexMany(ids) },
        )
      : undefined;
    // Measured as the service serves: from the in-memory index once it is built.
    await kb.ready();
    const retriever = await kb.retriever();
    // Ranked as the bot ranks: across languages too when CROSS_LINGUAL_RETRIEVAL is on.
    const crossLingualBelow = config.CROSS_LINGUAL_RETRIEVAL
      ? (lang: Lang) => answerThreshold(config, lang)
      : undefined;
    const outcomes: CaseOutcome[] = [];
    const latencies: number[] = [];
    for (const [i, c] of cases.entries()) {
      const { outcome, turnMs } = await caseOutcome(service, retriever, c, `eval-case-${i}`, crossLingualBelow);
      outcomes.push(outcome);
      latencies.push(turnMs);
      onProgress?.(i + 1, cases.length);
    }
    return {
      report: summarise(outcomes, latencies),
      outcomes,
      importFailures: imported.failed.map((f) => `${f.file}: ${f.field}: ${f.reason}`),
      ...(paraphrases ? { paraphrases } : {}),
    };
  } finally {
    await service.close();
    await db.close();
  }
}

/** One case through the real turn, in a new conversation: the bot's actual decision, where retrieval ranked the expected article, and the turn's time. */
export async function caseOutcome(
  service: Pick<Service, 'inbox'>,
  retriever: Retriever,
  c: RetrievalCase,
  externalId: string,
  crossLingualBelow?: (lang: Lang) => number,
): Promise<{ outcome: CaseOutcome; turnMs: number }> {
  // Ranked as the bot retrieves: the question as retrieval reads it (redacted, Arabizi in Arabic
  // letters), in the customer's language, or in any language when none of the articles is in theirs.
  const lang = c.lang ?? detectLanguage(c.question).lang;
  const retrieval = await retrieveWithFallback(
    retriever,
    searchText(redact(c.question).text, lang),
    lang,
    10,
    crossLingualBelow?.(lang),
  );
  const found = retrieval.articles.findIndex((a) => a.articleId === c.expected);
  const conversation = await service.inbox.open({ channel: 'api', externalId });
  const started = performance.now();
  const outcome = await service.inbox.receive({ conversationId: conversation.id, text: c.question });
  const turnMs = performance.now() - started;
  const turn = { ...outcome, answer: outcome.decision?.answer, retrieval: outcome.decision?.retrieval };
  const decision = outcome.decision;
  // "Did you mean …?" is a reply without a hand-off, but no answer: it is counted apart.
  const clarified = decision?.kind === 'clarify' && decision.why === 'did_you_mean';
  const answered = Boolean(turn.reply && !turn.handoff) && decision?.kind !== 'clarify';
  const result: CaseOutcome = {
    question: c.question,
    lang,
    expected: c.expected,
    rank: found >= 0 ? found + 1 : null,
    top: retrieval.articles[0]?.articleId ?? null,
    answered,
    answeredArticle: answered ? (turn.answer?.citations[0]?.articleId ?? null) : null,
    confidence: turn.answer?.confidence ?? (clarified ? decision.confidence : null),
    handoffReason: turn.handoff?.reason ?? null,
    evidence: turn.retrieval ? evidenceOf(turn.retrieval) : undefined,
    ...(clarified ? { clarified, choices: decision.choices.map((ch) => ch.articleId) } : {}),
    turnTop: turn.answer?.citations[0]?.articleId ?? turn.retrieval?.articles[0]?.articleId ?? null,
    turnFirst: turn.retrieval?.articles[0]?.articleId ?? null,
    ...(decision?.assists ? { assists: decision.assists } : {}),
  };
  return { outcome: result, turnMs };
}

export function summarise(outcomes: CaseOutcome[], latencies: number[]): RetrievalReport {
  const inScope = outcomes.filter((o) => o.expected !== null);
  const outOfScope = outcomes.filter((o) => o.expected === null);
  const answered = outcomes.filter((o) => o.answered);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    top1: ratio(inScope.filter((o) => o.rank === 1).length, inScope.length),
    top3: ratio(inScope.filter((o) => o.rank !== null && o.rank <= 3).length, inScope.length),
    mrr: ratio(
      inScope.reduce((s, o) => s + (o.rank ? 1 / o.rank : 0), 0),
      inScope.length,
    ),
    answered_rate: ratio(answered.length, outcomes.length),
    answered_precision: ratio(
      answered.filter((o) => o.expected !== null && o.answeredArticle === o.expected).length,
      answered.length,
    ),
    oos_handoff_recall: ratio(outOfScope.filter((o) => !o.answered).length, outOfScope.length),
    cases: outcomes.length,
    p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p95_ms: Math.round(percentile(latencies, 95) * 10) / 10,
  };
}

/** Answered precision and coverage if the threshold were t: for choosing ANSWER_THRESHOLD. */
export function precisionCoverage(outcomes: CaseOutcome[], thresholds = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
  return thresholds.map((t) => {
    const answered = outcomes.filter(
      (o) =>
        o.confidence !== null &&
        o.confidence >= t &&
        o.handoffReason !== 'customer_request' &&
        o.handoffReason !== 'negative_sentiment',
    );
    const right = answered.filter((o) => o.expected !== null && (o.answeredArticle ?? o.top) === o.expected).length;
    return {
      threshold: t,
      coverage: answered.length / Math.max(1, outcomes.length),
      precision: answered.length ? right / answered.length : 0,
    };
  });
}
