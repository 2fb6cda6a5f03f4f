import type { Draft, DraftReply } from '../bot/index.js';
import type { Message } from '../inbox/index.js';
import type { Queryable } from '../platform/db/db.js';
import { problems } from '../platform/http/problem.js';
import type { Platform } from '../platform/module.js';
import type { Lang } from '../text/language.js';
import { editDistance } from './edit-distance.js';
import { deescalatingOpener } from './openers.js';
import { renderTemplate, type Template } from './templates.js';

export type SuggestionKind = 'knowledge' | 'llm' | 'template' | 'deescalation';

export interface SuggestionRow {
  id: string;
  conversation_id: string;
  message_id: string;
  kind: SuggestionKind;
  content: string;
  lang: Lang;
  citations: { articleId: string; title: string }[];
  template_id: string | null;
  created_at: Date;
  outcome: 'accepted' | 'edited' | 'rejected' | null;
  final_text: string | null;
  edit_distance: number | null;
  decided_by: string | null;
  decided_at: Date | null;
  reply_id: string | null;
}

export const suggestionView = (s: SuggestionRow) => ({
  id: s.id,
  conversationId: s.conversation_id,
  messageId: s.message_id,
  kind: s.kind,
  content: s.content,
  lang: s.lang,
  citations: s.citations,
  templateId: s.template_id,
  outcome: s.outcome,
  finalText: s.final_text,
  editDistance: s.edit_distance,
  createdAt: new Date(s.created_at).toISOString(),
});

const MAX_TEMPLATES = 2;
// Below this confidence the knowledge base's answer is more likely wrong than right for the question.
const MIN_SUGGESTION_CONFIDENCE = 0.35;

/**
 * Suggested replies for the customer's latest message, in their language: the knowledge base's
 * answer with its articles (extractive, and the model's when one is configured), matching
 * templates, and a de-escalating opener when the customer is upset. Each is stored, so what the
 * agent did with it (accepted, edited, rejected) can be reported.
 */
export function suggestions(platform: Platform, draft: DraftReply) {
  const { db, config } = platform;

  async function latestCustomerMessage(conversationId: string): Promise<Message | undefined> {
    const [m] = await db.query<Message>(
      "SELECT * FROM messages WHERE conversation_id = $1 AND role = 'customer' ORDER BY seq DESC LIMIT 1",
      [conversationId],
    );
    return m;
  }

  async function matchingTemplates(lang: Lang, d: Draft): Promise<Template[]> {
    const tags = d.retrieval.articles.slice(0, 2).flatMap((a) => a.tags);
    const terms = d.retrieval.queryTerms;
    const rows = await db.query<Template & { score: number }>(
      `SELECT t.*, (cardinality(ARRAY(SELECT unnest(t.tags) INTERSECT SELECT unnest($2::text[]))) * 2
         + cardinality(ARRAY(SELECT unnest(t.tags) INTERSECT SELECT unnest($3::text[])))) AS score
       FROM templates t WHERE t.lang = $1 ORDER BY score DESC, t.shortcode LIMIT $4`,
      [lang, tags, terms, MAX_TEMPLATES],
    );
    return rows.filter((r) => Number(r.score) > 0);
  }

  async function suggest(conversationId: string, agent: { name: string }, customerName: string | null) {
    const message = await latestCustomerMessage(conversationId);
    if (!message) return { messageId: null, suggestions: [] as ReturnType<typeof suggestionView>[] };
    const existing = await db.query<SuggestionRow>(
      'SELECT * FROM suggestions WHERE message_id = $1 AND outcome IS NULL ORDER BY created_at, kind',
      [message.id],
    );
    if (existing.length > 0) return { messageId: message.id, suggestions: existing.map(suggestionView) };

    const lang = (message.lang ?? 'ar') as Lang;
    const d = await draft({ content: message.content, lang });
    const rows: Omit<
      SuggestionRow,
      'id' | 'created_at' | 'outcome' | 'final_text' | 'edit_distance' | 'decided_by' | 'decided_at' | 'reply_id'
    >[] = [];
    const base = { conversation_id: conversationId, message_id: message.id, lang, template_id: null };
    const cite = (a: { citations: { articleId: string; title: string }[] }) =>
      a.citations.map((c) => ({ articleId: c.articleId, title: c.title }));
    const upset = d.sentiment.label === 'negative' || d.sentiment.score <= config.NEGATIVE_SENTIMENT_THRESHOLD / 2;
    // A weak match is no help to an agent: an unrelated article is worse than no suggestion.
    const relevant = (a: Draft['local']) => (a && a.confidence >= MIN_SUGGESTION_CONFIDENCE ? a : undefined);
    d.local = relevant(d.local);
    d.llm = relevant(d.llm);
    const grounded = d.llm ?? d.local;
    if (upset) {
      const opener = deescalatingOpener(lang, customerName);
      rows.push({
        ...base,
        kind: 'deescalation',
        content: grounded ? `${opener}\n\n${grounded.text}` : opener,
        citations: grounded ? cite(grounded) : [],
      });
    }
    if (d.llm) rows.push({ ...base, kind: 'llm', content: d.llm.text, citations: cite(d.llm) });
    if (d.local) rows.push({ ...base, kind: 'knowledge', content: d.local.text, citations: cite(d.local) });
    for (const t of await matchingTemplates(lang, d)) {
      const content = renderTemplate(t.body, { 'customer.name': customerName ?? '', 'agent.name': agent.name }, lang);
      rows.push({ ...base, kind: 'template', content, citations: [], template_id: t.id });
    }
    const stored: SuggestionRow[] = [];
    for (const r of rows) {
      const [row] = await db.query<SuggestionRow>(
        `INSERT INTO suggestions (conversation_id, message_id, kind, content, lang, citations, template_id)
         VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7) RETURNING *`,
        [r.conversation_id, r.message_id, r.kind, r.content, r.lang, JSON.stringify(r.citations), r.template_id],
      );
      if (row) stored.push(row);
    }
    return { messageId: message.id, suggestions: stored.map(suggestionView) };
  }

  /** In the reply's transaction: the suggestion it started from, accepted as is or edited. */
  async function recordOutcome(
    tx: Queryable,
    input: { suggestionId: string; conversationId: string; staffId: string; reply: Message },
  ) {
    const [s] = await tx.query<SuggestionRow>(
      'SELECT * FROM suggestions WHERE id = $1 AND conversation_id = $2 FOR UPDATE',
      [input.suggestionId, input.conversationId],
    );
    // Another conversation's suggestion is as unknown here as a made-up id.
    if (!s) throw problems.notFound('Suggestion', input.suggestionId);
    if (s.outcome) throw problems.conflict('suggestion-decided', `This suggestion was already ${s.outcome}.`);
    const distance = editDistance(s.content, input.reply.content);
    await tx.query(
      `UPDATE suggestions SET outcome = $2, final_text = $3, edit_distance = $4, decided_by = $5, decided_at = now(),
         reply_id = $6 WHERE id = $1`,
      [s.id, distance === 0 ? 'accepted' : 'edited', input.reply.content, distance, input.staffId, input.reply.id],
    );
  }

  async function suggestionOf(conversationId: string, id: string): Promise<SuggestionRow> {
    const [s] = await db.query<SuggestionRow>('SELECT * FROM suggestions WHERE id = $1 AND conversation_id = $2', [
      id,
      conversationId,
    ]);
    if (!s) throw problems.notFound('Suggestion', id);
    return s;
  }

  async function reject(id: string, staffId: string) {
    const [s] = await db.query<SuggestionRow>(
      `UPDATE suggestions SET outcome = 'rejected', decided_by = $2, decided_at = now()
       WHERE id = $1 AND outcome IS NULL RETURNING *`,
      [id, staffId],
    );
    if (s) return suggestionView(s);
    const [current] = await db.query<SuggestionRow>('SELECT * FROM suggestions WHERE id = $1', [id]);
    if (!current) throw problems.notFound('Suggestion', id);
    throw problems.conflict('suggestion-decided', `This suggestion was already ${current.outcome}.`);
  }

  /** Acceptance and edit rates from the stored outcomes (since a date, by kind). */
  async function stats(since?: Date) {
    const rows = await db.query<{
      kind: string;
      total: number;
      accepted: number;
      edited: number;
      rejected: number;
      mean_distance: number | null;
    }>(
      `SELECT kind, count(*)::int AS total,
         count(*) FILTER (WHERE outcome = 'accepted')::int AS accepted,
         count(*) FILTER (WHERE outcome = 'edited')::int AS edited,
         count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected,
         avg(edit_distance) FILTER (WHERE outcome = 'edited')::float AS mean_distance
       FROM suggestions WHERE ($1::timestamptz IS NULL OR created_at >= $1) GROUP BY kind ORDER BY kind`,
      [since ?? null],
    );
    const byKind = rows.map((r) => {
      const decided = r.accepted + r.edited + r.rejected;
      return {
        kind: r.kind,
        suggested: r.total,
        accepted: r.accepted,
        edited: r.edited,
        rejected: r.rejected,
        // Of the suggestions an agent acted on: used as is, used after editing.
        acceptanceRate: decided ? r.accepted / decided : null,
        editRate: decided ? r.edited / decided : null,
        meanEditDistance: r.mean_distance === null ? null : Number(r.mean_distance),
      };
    });
    const sum = (k: 'accepted' | 'edited' | 'rejected') => byKind.reduce((n, r) => n + r[k], 0);
    const decided = sum('accepted') + sum('edited') + sum('rejected');
    return {
      acceptanceRate: decided ? sum('accepted') / decided : null,
      editRate: decided ? sum('edited') / decided : null,
      byKind,
    };
  }

  return { suggest, recordOutcome, reject, stats, suggestionOf };
}
