/**
 * A small, hand-checkable world for the reports: conversations written straight into the tables
 * the inbox fills, at fixed times, so each KPI's expected value can be worked out on paper.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/platform/db/db.js';

export const DAY = '2026-01-10';
export const at = (time: string, day = DAY) => `${day}T${time}Z`;

export async function seedArticle(db: Db, id: string, tags: string[], team = 'general') {
  await db.query(
    `INSERT INTO articles (id, title, lang, tags, team, body, status) VALUES ($1, $2, 'ar', $3::text[], $4, 'body', 'published')
     ON CONFLICT (id) DO NOTHING`,
    [id, `title of ${id}`, `{${tags.join(',')}}`, team],
  );
}

export async function seedStaff(db: Db, name: string, role = 'agent'): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO staff (email, name, role, password_hash) VALUES ($1, $2, $3, 'x') RETURNING id`,
    [`${randomUUID()}@shop.example`, name, role],
  );
  return (row as { id: string }).id;
}

export async function seedContact(db: Db, channel: string): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    'INSERT INTO contacts (channel, external_id) VALUES ($1, $2) RETURNING id',
    [channel, randomUUID()],
  );
  return (row as { id: string }).id;
}

export interface ConversationSeed {
  contact: string;
  channel: string;
  lang: 'ar' | 'en';
  createdAt: string;
  status?: 'bot' | 'waiting_human' | 'assigned' | 'resolved' | 'closed';
  team?: string | null;
  assignedTo?: string | null;
  resolvedAt?: string | null;
  lastArticle?: string | null;
}

/** A conversation and a writer for its messages, hand-offs, votes, suggestions and survey answers, in time order. */
export async function seedConversation(db: Db, c: ConversationSeed) {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO conversations (contact_id, channel, lang, status, team, assigned_to, created_at, resolved_at, last_article_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      c.contact,
      c.channel,
      c.lang,
      c.status ?? 'bot',
      c.team ?? null,
      c.assignedTo ?? null,
      c.createdAt,
      c.resolvedAt ?? null,
      c.lastArticle ?? null,
    ],
  );
  const id = (row as { id: string }).id;
  const message = async (m: {
    role: 'customer' | 'bot' | 'agent';
    at: string;
    content?: string;
    sentiment?: number;
    confidence?: number;
    decision?: string;
    article?: string;
    author?: string;
    internal?: boolean;
  }) => {
    const [msg] = await db.query<{ id: string }>(
      `INSERT INTO messages (conversation_id, role, content, sentiment_score, confidence, meta, citations, author_id, internal, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8, $9, $10) RETURNING id`,
      [
        id,
        m.role,
        m.content ?? `${m.role} text`,
        m.sentiment ?? null,
        m.role === 'bot' ? (m.confidence ?? 1) : null,
        JSON.stringify(m.decision ? { decision: m.decision } : {}),
        JSON.stringify(m.article ? [{ articleId: m.article, chunkId: 1, title: `title of ${m.article}` }] : []),
        m.author ?? null,
        m.internal ?? false,
        m.at,
      ],
    );
    return (msg as { id: string }).id;
  };
  return {
    id,
    message,
    async handoff(h: {
      at: string;
      reason: string;
      confidence?: number | null;
      sentiment?: number | null;
      team: string;
      messageId?: string;
      candidates?: { articleId: string; score: number }[];
      question?: string;
    }) {
      await db.query(
        `INSERT INTO handoffs (conversation_id, message_id, reason, confidence, sentiment, question, candidates, team, priority, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, 1, $9)`,
        [
          id,
          h.messageId ?? null,
          h.reason,
          h.confidence ?? null,
          h.sentiment ?? null,
          h.question ?? 'the question',
          JSON.stringify(
            (h.candidates ?? []).map((x) => ({ ...x, title: `title of ${x.articleId}`, similarity: x.score })),
          ),
          h.team,
          h.at,
        ],
      );
      await db.query('UPDATE conversations SET handed_off_at = COALESCE(handed_off_at, $2) WHERE id = $1', [id, h.at]);
    },
    async vote(messageId: string, helpful: boolean, when: string) {
      await db.query(
        'INSERT INTO message_feedback (message_id, conversation_id, helpful, created_at) VALUES ($1, $2, $3, $4)',
        [messageId, id, helpful, when],
      );
    },
    async suggestion(messageId: string, outcome: 'accepted' | 'edited' | 'rejected' | null, editDistance?: number) {
      await db.query(
        `INSERT INTO suggestions (conversation_id, message_id, kind, content, lang, outcome, edit_distance, decided_at)
         VALUES ($1, $2, 'knowledge', 'suggested', 'ar', $3, $4, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END)`,
        [id, messageId, outcome, editDistance ?? null],
      );
    },
    async survey(kind: 'csat' | 'nps' | 'ces', score: number) {
      await db.query(
        `INSERT INTO survey_responses (conversation_id, kind, score, channel, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [id, kind, score, c.channel, c.resolvedAt ?? c.createdAt],
      );
    },
  };
}
