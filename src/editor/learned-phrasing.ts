import { withoutPlaceholders } from '../bot/decide.js';
import type { Article } from '../knowledge/article.js';
import { articleEvent } from '../knowledge/article-events.js';
import { contentOf, getArticle, updateArticle } from '../knowledge/articles.js';
import { type Db, one, type Queryable } from '../platform/db/db.js';
import type { Events } from '../platform/events/outbox.js';
import { problems } from '../platform/http/problem.js';
import { detectLanguage, type Lang } from '../text/language.js';
import { normaliseForSearch } from '../text/normalise.js';
import { redact } from '../text/redact.js';
import { terms } from '../text/tokenise.js';
import { asksForHuman } from '../understanding/human-request.js';
import { smallTalk } from '../understanding/small-talk.js';

export type PhrasingStatus = 'proposed' | 'accepted' | 'dismissed';

export interface LearnedPhrasing {
  id: string;
  article_id: string;
  article_title: string;
  article_status: string;
  question: string;
  lang: Lang;
  conversation_id: string | null;
  status: PhrasingStatus;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  article_version: number | null;
  /** A customer's question from a resolved conversation, or a model's paraphrase (LLM_PARAPHRASES). */
  origin: 'conversation' | 'generated';
  variety: 'gulf' | 'msa' | 'en' | null;
}

const SETTING = 'editor.learned_phrasing';
const MAX_QUESTIONS = 100;
const sameWording = (a: string, b: string) => normaliseForSearch(a).trim() === normaliseForSearch(b).trim();

const SELECT = `SELECT p.*, a.title AS article_title, a.status AS article_status
  FROM learned_phrasings p JOIN articles a ON a.id = p.article_id`;

/** The editor setting: accept every proposal as it comes, without an editor's click. */
export async function autoAccepts(db: Queryable): Promise<boolean> {
  const row = await one<{ value: { autoAccept?: boolean } }>(db, 'SELECT value FROM settings WHERE key = $1', [
    SETTING,
  ]);
  return row?.value.autoAccept === true;
}

export async function setAutoAccept(db: Queryable, autoAccept: boolean): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2::text::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [SETTING, JSON.stringify({ autoAccept })],
  );
}

export async function listPhrasings(
  db: Queryable,
  filter: { status?: PhrasingStatus; articleId?: string; origin?: LearnedPhrasing['origin']; limit?: number } = {},
): Promise<LearnedPhrasing[]> {
  return db.query<LearnedPhrasing>(
    `${SELECT} WHERE ($1::text IS NULL OR p.status = $1) AND ($2::text IS NULL OR p.article_id = $2)
       AND ($4::text IS NULL OR p.origin = $4)
     ORDER BY p.created_at DESC, p.id LIMIT $3`,
    [filter.status ?? null, filter.articleId ?? null, filter.limit ?? 100, filter.origin ?? null],
  );
}

export const getPhrasing = (db: Queryable, id: string) => one<LearnedPhrasing>(db, `${SELECT} WHERE p.id = $1`, [id]);

/**
 * The question worth learning from a conversation an agent resolved: the hand-off's question
 * when it says something (a "talk to a person" request does not), else the customer's latest
 * message before the agent's reply that is a question rather than a greeting or a request for
 * a person. Personal data is redacted and its placeholders dropped: "[PHONE]" is nobody's wording.
 */
export function learnableQuestion(candidates: string[]): string | undefined {
  for (const raw of candidates) {
    const text = withoutPlaceholders(redact(raw).text).replace(/\s+/g, ' ').trim();
    if (!text || text.length > 500) continue;
    if (asksForHuman(text) || smallTalk(text)) continue;
    if (terms(text).length === 0) continue;
    return text;
  }
  return undefined;
}

/**
 * A resolved conversation whose agent reply cited an article proposes the customer's question
 * as that article's example question. Idempotent: one proposal per conversation and article
 * (a redelivered event finds it and adds nothing). Returns the new proposal's id, if any.
 */
export async function proposeFromConversation(db: Queryable, conversationId: string): Promise<string | undefined> {
  const reply = await one<{ id: string; seq: number; citations: { articleId?: string }[] }>(
    db,
    `SELECT id, seq, citations FROM messages
     WHERE conversation_id = $1 AND role = 'agent' AND NOT internal AND jsonb_array_length(citations) > 0
     ORDER BY seq DESC LIMIT 1`,
    [conversationId],
  );
  const articleId = reply?.citations[0]?.articleId;
  if (!reply || !articleId) return undefined;
  const article = await getArticle(db, articleId);
  if (article?.status !== 'published') return undefined;
  const handoff = await one<{ question: string }>(
    db,
    `SELECT h.question FROM handoffs h WHERE h.conversation_id = $1
       AND h.created_at <= (SELECT created_at FROM messages WHERE id = $2)
     ORDER BY h.created_at DESC LIMIT 1`,
    [conversationId, reply.id],
  );
  const asked = await db.query<{ content: string }>(
    `SELECT content FROM messages WHERE conversation_id = $1 AND role = 'customer' AND seq < $2 ORDER BY seq DESC LIMIT 20`,
    [conversationId, reply.seq],
  );
  const question = learnableQuestion([...(handoff ? [handoff.question] : []), ...asked.map((m) => m.content)]);
  if (!question || article.questions.some((q) => sameWording(q, question))) return undefined;
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO learned_phrasings (article_id, question, lang, conversation_id, reply_id)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (conversation_id, article_id) DO NOTHING RETURNING id`,
    [article.id, question, detectLanguage(question).lang, conversationId, reply.id],
  );
  if (row) return row.id;
  // Proposed by an earlier delivery of this event that failed later (say, in auto-accept).
  const earlier = await one<{ id: string }>(
    db,
    "SELECT id FROM learned_phrasings WHERE conversation_id = $1 AND article_id = $2 AND status = 'proposed'",
    [conversationId, article.id],
  );
  return earlier?.id;
}

/**
 * Accepting adds the question to the article's example questions as a new version (with its
 * event), in one transaction with the decision; the caller queues the index job, after which
 * the wording is retrievable. An archived article takes no edits: 409, nothing changed.
 */
export async function acceptPhrasing(
  events: Events,
  id: string,
  by: string,
): Promise<{ phrasing: LearnedPhrasing; article: Article; changed: string[] }> {
  return events.transaction(async (tx, emit) => {
    const phrasing = await decidable(tx, id);
    const current = await getArticle(tx, phrasing.article_id);
    if (!current) throw problems.notFound('Article', phrasing.article_id);
    if (current.status === 'archived') {
      throw problems.conflict(
        'article-archived',
        `Article "${current.id}" is archived, so it takes no new example questions. Dismiss the proposal, or publish the article again first.`,
      );
    }
    const known = current.questions.some((q) => sameWording(q, phrasing.question));
    if (!known && current.questions.length >= MAX_QUESTIONS) {
      throw problems.conflict(
        'too-many-questions',
        `Article "${current.id}" already has ${MAX_QUESTIONS} example questions; remove some in the editor first.`,
      );
    }
    const saved = known
      ? { article: current, changed: [] as string[] }
      : await updateArticle(
          tx,
          current,
          { ...contentOf(current), questions: [...current.questions, phrasing.question] },
          { by, note: 'learned phrasing from a resolved conversation' },
        );
    if (saved.changed.length) await emit(articleEvent(saved.article, saved.changed));
    await tx.query(
      `UPDATE learned_phrasings SET status = 'accepted', decided_at = now(), decided_by = $2, article_version = $3 WHERE id = $1`,
      [id, by, saved.article.version],
    );
    return { phrasing: (await getPhrasing(tx, id)) as LearnedPhrasing, ...saved };
  });
}

/** A proposal is dismissed; a generated phrasing, live from the start, is removed from retrieval (re-index the article). */
export async function dismissPhrasing(db: Db, id: string, by: string): Promise<LearnedPhrasing> {
  return db.transaction(async (tx) => {
    await decidable(tx, id, 'dismiss');
    await tx.query(
      `UPDATE learned_phrasings SET status = 'dismissed', decided_at = now(), decided_by = $2 WHERE id = $1`,
      [id, by],
    );
    return (await getPhrasing(tx, id)) as LearnedPhrasing;
  });
}

/** The proposal, locked, if it still waits for a decision: else 404 or 409 already-decided. */
async function decidable(tx: Queryable, id: string, action?: 'dismiss'): Promise<LearnedPhrasing> {
  const locked = await one<{ id: string }>(tx, 'SELECT id FROM learned_phrasings WHERE id = $1 FOR UPDATE', [id]);
  const phrasing = locked && (await getPhrasing(tx, id));
  if (!phrasing) throw problems.notFound('Learned phrasing', id);
  const removable = action === 'dismiss' && phrasing.origin === 'generated' && phrasing.status === 'accepted';
  if (phrasing.status !== 'proposed' && !removable) {
    throw problems.conflict('already-decided', `This learned phrasing was already ${phrasing.status}.`, {
      status: phrasing.status,
    });
  }
  return phrasing;
}
