import { createHash } from 'node:crypto';
import type { Queryable } from '../platform/db/db.js';
import { detectLanguage, type Lang } from '../text/language.js';
import { normaliseForSearch } from '../text/normalise.js';
import { redact } from '../text/redact.js';
import { clusterBySimilarity } from './cluster.js';

/** One customer question that the bot could not serve. */
export interface GapQuestion {
  text: string;
  lang: Lang;
  at: Date;
  source: 'low_confidence' | 'not_helpful';
  /** Articles the bot reached for: hand-off candidates, or the answer voted not helpful. */
  articleIds: string[];
  team: string | null;
}

export interface KnowledgeGap {
  id: string;
  lang: Lang;
  /** Times customers asked (every occurrence, repeats included). */
  count: number;
  lowConfidence: number;
  notHelpful: number;
  firstAt: string;
  lastAt: string;
  /** Distinct wordings, most asked first. */
  questions: { text: string; count: number; lastAt: string }[];
  /** The articles the bot reached for, most often first: where the answer may belong instead. */
  articles: { articleId: string; title: string; status: string; count: number }[];
  team: string | null;
  /** Articles whose example questions already hold some of these questions (a draft in progress). */
  drafts: { articleId: string; title: string; status: string }[];
}

export interface GapOptions {
  days?: number;
  lang?: Lang;
  now?: Date;
}

const MAX_ROWS = 2000;
const MAX_WORDINGS = 20;
const key = (text: string) =>
  normaliseForSearch(text)
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .trim();

/**
 * Knowledge gaps: questions that ended in a low-confidence hand-off or a "not helpful" vote in
 * the window, grouped by similarity, largest and most recent first. A question that is already
 * an example question of a published article is closed and left out. Text is redacted here
 * again (hand-off questions already are; voted questions are the customer's stored words).
 */
export async function findKnowledgeGaps(db: Queryable, options: GapOptions = {}): Promise<KnowledgeGap[]> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.days ?? 30) * 86_400_000);
  const asked = await gapQuestions(db, since, options.lang ?? null);
  const articles = await db.query<{ id: string; title: string; status: string; questions: string[] }>(
    'SELECT id, title, status, questions FROM articles',
  );
  const published = new Set<string>();
  const holders = new Map<string, { articleId: string; title: string; status: string }[]>();
  for (const a of articles) {
    for (const q of a.questions) {
      const k = key(q);
      if (a.status === 'published') published.add(k);
      else if (a.status === 'draft')
        holders.set(k, [...(holders.get(k) ?? []), { articleId: a.id, title: a.title, status: a.status }]);
    }
  }
  const titles = new Map(articles.map((a) => [a.id, a]));
  const open = asked.filter((q) => key(q.text) && !published.has(key(q.text)));
  const gaps: KnowledgeGap[] = [];
  for (const lang of ['ar', 'en'] as const) {
    const ofLang = open.filter((q) => q.lang === lang).sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const group of clusterBySimilarity(ofLang, (q) => q.text)) {
      gaps.push(gapOf(lang, group.leader, group.items, titles, holders));
    }
  }
  return gaps.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

function gapOf(
  lang: Lang,
  leader: GapQuestion,
  items: GapQuestion[],
  articles: Map<string, { id: string; title: string; status: string }>,
  holders: Map<string, { articleId: string; title: string; status: string }[]>,
): KnowledgeGap {
  const wordings = new Map<string, { text: string; count: number; last: Date }>();
  const reached = new Map<string, number>();
  const teams = new Map<string, number>();
  const drafts = new Map<string, { articleId: string; title: string; status: string }>();
  for (const q of items) {
    const k = key(q.text);
    const w = wordings.get(k) ?? { text: q.text, count: 0, last: q.at };
    w.count++;
    if (q.at >= w.last) w.last = q.at;
    wordings.set(k, w);
    for (const id of q.articleIds) reached.set(id, (reached.get(id) ?? 0) + 1);
    if (q.team) teams.set(q.team, (teams.get(q.team) ?? 0) + 1);
    for (const d of holders.get(k) ?? []) drafts.set(d.articleId, d);
  }
  const times = items.map((q) => q.at.getTime());
  return {
    id: createHash('sha256')
      .update(`${lang}:${key(leader.text)}`)
      .digest('base64url')
      .slice(0, 12),
    lang,
    count: items.length,
    lowConfidence: items.filter((q) => q.source === 'low_confidence').length,
    notHelpful: items.filter((q) => q.source === 'not_helpful').length,
    firstAt: new Date(Math.min(...times)).toISOString(),
    lastAt: new Date(Math.max(...times)).toISOString(),
    questions: [...wordings.values()]
      .sort((a, b) => b.count - a.count || b.last.getTime() - a.last.getTime())
      .slice(0, MAX_WORDINGS)
      .map((w) => ({ text: w.text, count: w.count, lastAt: w.last.toISOString() })),
    articles: [...reached]
      .filter(([id]) => articles.has(id))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([id, count]) => ({
        articleId: id,
        title: articles.get(id)!.title,
        status: articles.get(id)!.status,
        count,
      })),
    team: [...teams].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null,
    drafts: [...drafts.values()],
  };
}

/** The questions behind low-confidence hand-offs and "not helpful" votes since a date, newest first. */
async function gapQuestions(db: Queryable, since: Date, lang: Lang | null): Promise<GapQuestion[]> {
  const handoffs = await db.query<{
    question: string;
    created_at: Date;
    candidates: { articleId?: string }[];
    team: string | null;
    lang: Lang | null;
  }>(
    `SELECT h.question, h.created_at, h.candidates, h.team, c.lang
     FROM handoffs h JOIN conversations c ON c.id = h.conversation_id
     WHERE h.reason IN ('low_confidence', 'clarification_failed') AND h.created_at >= $1
     ORDER BY h.created_at DESC LIMIT ${MAX_ROWS}`,
    [since.toISOString()],
  );
  const votes = await db.query<{ content: string; at: Date; citations: { articleId?: string }[]; lang: Lang | null }>(
    `SELECT q.content, f.updated_at AS at, m.citations, COALESCE(q.lang, c.lang) AS lang
     FROM message_feedback f
     JOIN messages m ON m.id = f.message_id
     JOIN conversations c ON c.id = f.conversation_id
     JOIN LATERAL (
       SELECT content, lang FROM messages q
       WHERE q.conversation_id = m.conversation_id AND q.role = 'customer' AND q.seq < m.seq
       ORDER BY q.seq DESC LIMIT 1
     ) q ON true
     WHERE f.helpful = false AND f.updated_at >= $1
     ORDER BY f.updated_at DESC LIMIT ${MAX_ROWS}`,
    [since.toISOString()],
  );
  const langOf = (text: string, stored: Lang | null): Lang =>
    stored === 'ar' || stored === 'en' ? stored : detectLanguage(text).lang;
  const out: GapQuestion[] = [
    ...handoffs.map((h) => ({
      text: redact(h.question).text.trim(),
      lang: langOf(h.question, h.lang),
      at: new Date(h.created_at),
      source: 'low_confidence' as const,
      articleIds: (h.candidates ?? []).slice(0, 1).flatMap((c) => (c.articleId ? [c.articleId] : [])),
      team: h.team,
    })),
    ...votes.map((v) => ({
      text: redact(v.content).text.trim(),
      lang: langOf(v.content, v.lang),
      at: new Date(v.at),
      source: 'not_helpful' as const,
      articleIds: (v.citations ?? []).slice(0, 1).flatMap((c) => (c.articleId ? [c.articleId] : [])),
      team: null,
    })),
  ];
  return out.filter((q) => q.text.length > 0 && q.text.length <= 500 && (!lang || q.lang === lang));
}

/** A new article pre-filled from a gap: its wordings become the example questions. */
export function draftFromGap(gap: KnowledgeGap) {
  const title = gap.questions[0]?.text ?? '';
  return {
    id: `gap-${gap.id.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 40),
    title: title.slice(0, 300),
    lang: gap.lang,
    tags: [] as string[],
    team: gap.team,
    questions: gap.questions.map((q) => q.text),
    body: '',
    status: 'draft' as const,
  };
}
