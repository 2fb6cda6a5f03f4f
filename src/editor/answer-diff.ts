import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { answerThreshold, evidenceOf, retrievalConfidence, type ThresholdConfig } from '../bot/confidence.js';
import { withoutPlaceholders } from '../bot/decide.js';
import { isSensitive } from '../bot/policy.js';
import { readRetrievalCases } from '../eval/cases.js';
import type { ArticleContent } from '../knowledge/article.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Retriever } from '../knowledge/retrieve.js';
import { withChangeApplied } from '../knowledge/what-if.js';
import type { Config } from '../platform/config.js';
import type { Db, Queryable } from '../platform/db/db.js';
import { PROJECT_ROOT } from '../platform/paths.js';
import { detectLanguage } from '../text/language.js';
import { redact } from '../text/redact.js';
import { asksForHuman } from '../understanding/human-request.js';
import { smallTalk } from '../understanding/small-talk.js';

/** What the bot would do with one question: the article it would cite, and whether it answers. */
export interface Outcome {
  articleId: string | null;
  answered: boolean;
  confidence: number;
}

export interface AnswerChange {
  source: 'recent' | 'dev';
  question: string;
  /** The development set's expected article (null: out of scope); absent for customers' questions. */
  expected?: string | null;
  before: Outcome;
  after: Outcome;
  kind: 'now_answered' | 'now_handed_off' | 'other_article';
  /** For development-set cases: whether the change fixes or breaks the expected outcome. */
  verdict?: 'better' | 'worse' | 'neutral';
}

export interface AnswerDiff {
  articleId: string;
  status: 'published' | 'archived';
  checked: { recent: number; dev: number; devSet: string | null };
  changes: AnswerChange[];
  summary: { nowAnswered: number; nowHandedOff: number; otherArticle: number; better: number; worse: number };
}

interface Question {
  source: 'recent' | 'dev';
  text: string;
  expected?: string | null;
  lang?: 'ar' | 'en';
}

const RECENT_DAYS = 30;
const RECENT_LIMIT = 150;
const SAMPLE_DEV_SET = 'test/fixtures/eval/retrieval.jsonl';
const REPO = PROJECT_ROOT;

/**
 * The development set to replay: the project's own labelled set when the knowledge base is the
 * sample one it was written for (articles imported from that folder), else none; a set written
 * for other articles would only report noise.
 */
export async function devSetFor(db: Queryable, config: Pick<Config, 'KNOWLEDGE_BASE_DIR'>): Promise<string | null> {
  const file = resolve(REPO, SAMPLE_DEV_SET);
  if (resolve(config.KNOWLEDGE_BASE_DIR) !== resolve(REPO, 'knowledge-base') || !existsSync(file)) return null;
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE source_path IS NOT NULL');
  return (row?.n ?? 0) > 0 ? SAMPLE_DEV_SET : null;
}

/** Distinct recent customer questions, redacted, newest first: what customers really ask. */
async function recentQuestions(db: Queryable): Promise<Question[]> {
  const rows = await db.query<{ content: string }>(
    `SELECT content FROM messages
     WHERE role = 'customer' AND created_at >= now() - make_interval(days => ${RECENT_DAYS})
       AND length(content) BETWEEN 3 AND 500
     ORDER BY created_at DESC LIMIT ${RECENT_LIMIT * 3}`,
  );
  const seen = new Set<string>();
  const out: Question[] = [];
  for (const r of rows) {
    const text = withoutPlaceholders(redact(r.content).text).replace(/\s+/g, ' ').trim();
    if (!text || seen.has(text) || asksForHuman(text) || smallTalk(text)) continue;
    seen.add(text);
    out.push({ source: 'recent', text });
    if (out.length >= RECENT_LIMIT) break;
  }
  return out;
}

/** The bot's retrieval-side judgement (bot/decide.ts): language first, any language when that finds nothing; the threshold of the question's language. */
export async function outcomeOf(
  retriever: Retriever,
  q: Question,
  config: ThresholdConfig & Pick<Config, 'SENSITIVE_TAGS'>,
): Promise<Outcome> {
  const lang = q.lang ?? detectLanguage(q.text).lang;
  let retrieval = await retriever.retrieve(q.text, { lang });
  if (retrieval.articles.length === 0) retrieval = await retriever.retrieve(q.text);
  const top = retrieval.articles[0];
  const confidence = Math.round(retrievalConfidence(evidenceOf(retrieval)) * 1000) / 1000;
  const answered = Boolean(
    top && confidence >= answerThreshold(config, lang) && !isSensitive(top.tags, config.SENSITIVE_TAGS),
  );
  return { articleId: top?.articleId ?? null, answered, confidence };
}

function changeOf(q: Question, before: Outcome, after: Outcome): AnswerChange | undefined {
  let kind: AnswerChange['kind'];
  if (!before.answered && after.answered) kind = 'now_answered';
  else if (before.answered && !after.answered) kind = 'now_handed_off';
  else if (before.answered && after.answered && before.articleId !== after.articleId) kind = 'other_article';
  else return undefined;
  const change: AnswerChange = { source: q.source, question: q.text, before, after, kind };
  if (q.source === 'dev') {
    const right = (o: Outcome) => (q.expected === null ? !o.answered : o.answered && o.articleId === q.expected);
    const [was, is] = [right(before), right(after)];
    change.expected = q.expected ?? null;
    change.verdict = was === is ? 'neutral' : is ? 'better' : 'worse';
  }
  return change;
}

/**
 * Which recent customer questions and development-set cases the bot would answer differently
 * (another article, or answered ↔ handed off) if `change` were published (or archived): every
 * question is retrieved against the knowledge base as it is, then as it would be, in a
 * transaction that is rolled back (knowledge/what-if.ts). Nothing is saved.
 */
export async function answerDiff(
  deps: { db: Db; kb: KnowledgeBase; config: Config },
  change: ArticleContent & { status: 'published' | 'archived' },
): Promise<AnswerDiff> {
  const { db, kb, config } = deps;
  const devSet = await devSetFor(db, config);
  const dev: Question[] = devSet
    ? (await readRetrievalCases(resolve(REPO, devSet))).map((c) => ({
        source: 'dev' as const,
        text: c.question,
        expected: c.expected,
        lang: c.lang,
      }))
    : [];
  const questions = [...(await recentQuestions(db)), ...dev];
  const live = await kb.retriever();
  const before: Outcome[] = [];
  for (const q of questions) before.push(await outcomeOf(live, q, config));
  const after = await withChangeApplied(db, kb, change, async (retriever) => {
    const out: Outcome[] = [];
    for (const q of questions) out.push(await outcomeOf(retriever, q, config));
    return out;
  });
  const changes = questions.flatMap((q, i) => changeOf(q, before[i] as Outcome, after[i] as Outcome) ?? []);
  const count = (p: (c: AnswerChange) => boolean) => changes.filter(p).length;
  return {
    articleId: change.id,
    status: change.status,
    checked: { recent: questions.length - dev.length, dev: dev.length, devSet },
    changes,
    summary: {
      nowAnswered: count((c) => c.kind === 'now_answered'),
      nowHandedOff: count((c) => c.kind === 'now_handed_off'),
      otherArticle: count((c) => c.kind === 'other_article'),
      better: count((c) => c.verdict === 'better'),
      worse: count((c) => c.verdict === 'worse'),
    },
  };
}
