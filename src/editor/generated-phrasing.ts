import type OpenAI from 'openai';
import { z } from 'zod';
import { withoutPlaceholders } from '../bot/decide.js';
import { askJson } from '../bot/model-json.js';
import { getArticle } from '../knowledge/articles.js';
import { hashText } from '../knowledge/chunk.js';
import type { Config } from '../platform/config.js';
import type { Queryable } from '../platform/db/db.js';
import { defineJob } from '../platform/jobs/jobs.js';
import type { Logger } from '../platform/log.js';
import { detectLanguage } from '../text/language.js';
import { normaliseForSearch } from '../text/normalise.js';
import { redact } from '../text/redact.js';
import { terms } from '../text/tokenise.js';

/** Who "accepted" a generated phrasing: nobody did, it is live until an editor removes it. */
export const GENERATED_BY = 'model (generated paraphrase)';

/** Paraphrase the published articles (all of them, or these): idempotent, so safe to repeat. */
export const paraphraseJob = defineJob('editor-paraphrase', (p) =>
  z.object({ articleIds: z.array(z.string()).optional() }).parse(p),
);

const VARIETIES = ['gulf', 'msa', 'en'] as const;
type Variety = (typeof VARIETIES)[number];
// The model is asked for a few of each; what it sends beyond is ignored, not an error.
const PER_VARIETY = 2;
const MAX_LENGTH = 300;

const phrases = z
  .array(z.unknown())
  .max(10)
  .transform((xs) => xs.filter((x): x is string => typeof x === 'string'))
  .default([]);
const modelOutput = z.object({
  paraphrases: z
    .array(z.object({ question: z.coerce.number().int().min(1), gulf: phrases, msa: phrases, en: phrases }))
    .max(100),
});

const SYSTEM = `You write other ways customers ask the same question, for a help-centre search.
For each numbered question, write up to ${PER_VARIETY} paraphrases in each of:
- "gulf": Gulf Arabic (Saudi) as customers type it in chat,
- "msa": Modern Standard Arabic,
- "en": English.
Keep the meaning exactly; do not add details, names, numbers or answers. Short, one question each.
Reply with JSON only: {"paraphrases": [{"question": <number>, "gulf": [...], "msa": [...], "en": [...]}]}`;

export interface ParaphraseDeps {
  db: Queryable;
  client: OpenAI;
  config: Pick<Config, 'CHAT_MODEL' | 'LLM_PARAPHRASES_PER_ARTICLE' | 'LLM_TIMEOUT_MS'>;
  log: Logger;
  onCall?: (result: string) => void;
}

export interface ParaphraseOutcome {
  /** A model call was made (some example question had none yet). */
  asked: boolean;
  generated: number;
  removed: number;
}

const hashOf = (question: string) => hashText(normaliseForSearch(question).trim());

/**
 * Brings an article's generated phrasings in line with its example questions: those of
 * questions it no longer has are removed, and questions never paraphrased are sent to the model
 * (redacted), at most LLM_PARAPHRASES_PER_ARTICLE live ones in all. A question already
 * paraphrased, even if an editor removed every paraphrase, is not sent again. Throws when the
 * model fails or its output does not validate (nothing is stored then); the job retries.
 */
export async function paraphraseArticle(deps: ParaphraseDeps, articleId: string): Promise<ParaphraseOutcome> {
  const { db } = deps;
  const article = await getArticle(db, articleId);
  const none = { asked: false, generated: 0, removed: 0 };
  if (article?.status !== 'published') return none;
  const sources = [...new Map(article.questions.map((q) => [hashOf(q), q])).entries()];
  const removed = await db.query(
    `DELETE FROM learned_phrasings WHERE article_id = $1 AND origin = 'generated'
       AND NOT (source_hash = ANY($2::text[])) RETURNING id`,
    [articleId, sources.map(([hash]) => hash)],
  );
  const seen = await db.query<{ source_hash: string; status: string }>(
    "SELECT source_hash, status FROM learned_phrasings WHERE article_id = $1 AND origin = 'generated'",
    [articleId],
  );
  const done = new Set(seen.map((r) => r.source_hash));
  const room = deps.config.LLM_PARAPHRASES_PER_ARTICLE - seen.filter((r) => r.status === 'accepted').length;
  const fresh = sources.filter(([hash]) => !done.has(hash));
  if (fresh.length === 0 || room <= 0) return { ...none, removed: removed.length };

  const numbered = fresh.map(([, q], i) => `${i + 1}. ${redact(q).text}`).join('\n');
  const out = await askJson(deps.client, {
    model: deps.config.CHAT_MODEL,
    system: SYSTEM,
    user: `Article: ${redact(article.title).text}\n\nQuestions:\n${numbered}`,
    schema: modelOutput,
    timeoutMs: deps.config.LLM_TIMEOUT_MS,
    onCall: deps.onCall,
  });

  const known = new Set([...article.questions, article.title].map((q) => normaliseForSearch(q).trim()));
  const picked: { question: string; variety: Variety; hash: string }[][] = [];
  for (const item of out.paraphrases) {
    const source = fresh[item.question - 1];
    if (!source) continue;
    const list: { question: string; variety: Variety; hash: string }[] = [];
    for (let k = 0; k < PER_VARIETY; k++) {
      for (const variety of VARIETIES) {
        const text = usable(item[variety][k], variety);
        if (!text || known.has(normaliseForSearch(text).trim())) continue;
        known.add(normaliseForSearch(text).trim());
        list.push({ question: text, variety, hash: source[0] });
      }
    }
    picked.push(list);
  }
  // Round-robin over the questions: the cap must not leave the last questions without any.
  const chosen: { question: string; variety: Variety; hash: string }[] = [];
  for (let k = 0; chosen.length < room && picked.some((l) => l.length > k); k++) {
    for (const list of picked) if (list[k] && chosen.length < room) chosen.push(list[k]);
  }
  if (chosen.length) {
    await db.query(
      `INSERT INTO learned_phrasings (article_id, question, lang, origin, variety, source_hash, status, decided_at, decided_by)
       SELECT $1, q, l, 'generated', v, h, 'accepted', now(), $6
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(q, l, v, h)`,
      [
        articleId,
        chosen.map((c) => c.question),
        chosen.map((c) => (c.variety === 'en' ? 'en' : 'ar')),
        chosen.map((c) => c.variety),
        chosen.map((c) => c.hash),
        GENERATED_BY,
      ],
    );
  }
  deps.log.info({ articleId, generated: chosen.length, removed: removed.length }, 'paraphrases generated');
  return { asked: true, generated: chosen.length, removed: removed.length };
}

/** A paraphrase worth storing: a short question in the variety's script, with nothing personal in it. */
function usable(raw: string | undefined, variety: Variety): string | undefined {
  const text = raw?.replace(/\s+/g, ' ').trim();
  if (!text || text.length > MAX_LENGTH || terms(text).length === 0) return undefined;
  // A model that invents a phone number or an email gets it refused, not stored redacted.
  if (withoutPlaceholders(redact(text).text) !== text) return undefined;
  const lang = detectLanguage(text);
  if (lang.lang !== (variety === 'en' ? 'en' : 'ar') || lang.arabizi) return undefined;
  return text;
}

export interface ParaphraseStats {
  /** Articles that got new paraphrases. */
  articles: number;
  generated: number;
  /** Articles whose model call failed or whose output was refused. */
  failed: number;
}

/**
 * Every published article (or these) through paraphraseArticle, then the changed ones indexed
 * together (one refresh of the IDF and the intent model). One article's failure does not stop
 * the others; it is counted, and the job fails at the end so the runner tries again.
 */
export async function paraphraseAll(
  deps: ParaphraseDeps,
  options: { articleIds?: string[]; index: (ids: string[]) => Promise<unknown> },
): Promise<ParaphraseStats> {
  const ids =
    options.articleIds ??
    (await deps.db.query<{ id: string }>("SELECT id FROM articles WHERE status = 'published' ORDER BY id")).map(
      (r) => r.id,
    );
  const stats: ParaphraseStats = { articles: 0, generated: 0, failed: 0 };
  const changed: string[] = [];
  for (const id of ids) {
    try {
      const outcome = await paraphraseArticle(deps, id);
      if (outcome.generated) stats.articles++;
      stats.generated += outcome.generated;
      if (outcome.generated || outcome.removed) changed.push(id);
    } catch (error) {
      stats.failed++;
      deps.log.warn({ err: error, articleId: id }, 'paraphrasing failed; the article keeps its own questions');
    }
  }
  if (changed.length) await options.index(changed);
  return stats;
}

/** A job id per state of the published knowledge base: the same state is swept once. */
export async function sweepJobId(db: Queryable): Promise<string> {
  const [row] = await db.query<{ h: string }>(
    `SELECT md5(coalesce(string_agg(id || '@' || version, ',' ORDER BY id), '')) AS h
     FROM articles WHERE status = 'published'`,
  );
  return `paraphrase-${row?.h ?? 'none'}`;
}
