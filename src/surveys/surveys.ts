import { createHash } from 'node:crypto';
import type { Inbox } from '../inbox/index.js';
import { Problem, problems } from '../platform/http/problem.js';
import type { Platform } from '../platform/module.js';
import type { Lang } from '../text/language.js';
import { SURVEYS, type SurveyKind, THANKS } from './questions.js';

interface SurveyRequest {
  conversation_id: string;
  kinds: SurveyKind[];
  expires_at: Date;
}

/** A stable draw in [0, 1) per conversation and survey, so a retried job samples the same way. */
function draw(conversationId: string, kind: SurveyKind): number {
  return createHash('sha256').update(`${conversationId}:${kind}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * After a conversation is resolved the customer is asked CSAT and, on a sample, NPS and CES,
 * one question at a time, on their channel and in their language. One answer per survey; late
 * and repeated answers are refused politely.
 */
export function surveys(platform: Platform, inbox: Inbox) {
  const { db, config } = platform;

  async function ask(conversationId: string, kind: SurveyKind, lang: Lang) {
    const s = SURVEYS[kind];
    await inbox.notify({
      conversationId,
      lang,
      content: s.question[lang],
      meta: { decision: null, survey: { kind, min: s.min, max: s.max } },
    });
  }

  /** On `conversation.resolved`: which surveys this conversation gets, and the first question. */
  async function start(conversationId: string): Promise<SurveyKind[]> {
    const [c] = await db.query<{ channel: string; lang: Lang | null }>(
      'SELECT channel, lang FROM conversations WHERE id = $1',
      [conversationId],
    );
    if (!c || !config.SURVEY_CHANNELS.includes(c.channel)) return [];
    // Only a conversation the customer took part in is worth asking about.
    const [spoke] = await db.query("SELECT 1 FROM messages WHERE conversation_id = $1 AND role = 'customer' LIMIT 1", [
      conversationId,
    ]);
    if (!spoke) return [];
    const kinds: SurveyKind[] = ['csat'];
    if (draw(conversationId, 'nps') < config.SURVEY_NPS_SAMPLE) kinds.push('nps');
    if (draw(conversationId, 'ces') < config.SURVEY_CES_SAMPLE) kinds.push('ces');
    const inserted = await db.query(
      `INSERT INTO survey_requests (conversation_id, kinds, expires_at)
       VALUES ($1, $2, now() + ($3 || ' hours')::interval) ON CONFLICT DO NOTHING RETURNING conversation_id`,
      [conversationId, kinds, String(config.SURVEY_TTL_HOURS)],
    );
    // A redelivered event: the survey was already started.
    if (inserted.length === 0) return [];
    await ask(conversationId, 'csat', c.lang ?? 'ar');
    return kinds;
  }

  /** A customer's answer; then the next survey's question, or thanks after the last. */
  async function answer(input: {
    conversationId: string;
    kind: SurveyKind;
    score: number;
    comment?: string | null;
    channel: string;
  }): Promise<{ next: SurveyKind | null }> {
    const [request] = await db.query<SurveyRequest & { expired: boolean }>(
      'SELECT *, expires_at < now() AS expired FROM survey_requests WHERE conversation_id = $1',
      [input.conversationId],
    );
    if (!request?.kinds.includes(input.kind)) {
      throw problems.notFound('Survey', `${input.kind} of conversation ${input.conversationId}`);
    }
    if (request.expired) {
      throw new Problem(
        410,
        'survey-closed',
        'This survey has closed',
        'Thank you all the same: surveys can be answered for a while after a conversation ends.',
      );
    }
    const s = SURVEYS[input.kind];
    if (!Number.isInteger(input.score) || input.score < s.min || input.score > s.max) {
      throw new Problem(
        400,
        'score-out-of-range',
        'The score is out of range',
        `Give a whole number from ${s.min} to ${s.max}.`,
      );
    }
    const stored = await db.query(
      `INSERT INTO survey_responses (conversation_id, kind, score, comment, channel) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (conversation_id, kind) DO NOTHING RETURNING id`,
      [input.conversationId, input.kind, input.score, input.comment?.trim().slice(0, 2000) || null, input.channel],
    );
    if (stored.length === 0) {
      throw problems.conflict(
        'survey-answered',
        'Thank you: this survey was already answered, and the first answer stands.',
      );
    }
    const [c] = await db.query<{ lang: Lang | null }>('SELECT lang FROM conversations WHERE id = $1', [
      input.conversationId,
    ]);
    const lang = c?.lang ?? 'ar';
    const answered = await db.query<{ kind: SurveyKind }>(
      'SELECT kind FROM survey_responses WHERE conversation_id = $1',
      [input.conversationId],
    );
    const next = request.kinds.find((k) => !answered.some((a) => a.kind === k)) ?? null;
    if (next) await ask(input.conversationId, next, lang);
    else
      await inbox.notify({ conversationId: input.conversationId, lang, content: THANKS[lang], meta: { survey: null } });
    return { next };
  }

  /** The survey a contact's message on a channel may be answering: the latest asked and not answered. */
  async function pendingFor(
    channel: string,
    externalId: string,
  ): Promise<{ conversationId: string; kind: SurveyKind } | undefined> {
    const [row] = await db.query<{ conversation_id: string; kinds: SurveyKind[] }>(
      `SELECT r.conversation_id, r.kinds FROM survey_requests r
       JOIN conversations c ON c.id = r.conversation_id JOIN contacts ct ON ct.id = c.contact_id
       WHERE c.channel = $1 AND ct.external_id = $2 AND r.expires_at > now()
       ORDER BY r.created_at DESC LIMIT 1`,
      [channel, externalId],
    );
    if (!row) return undefined;
    const answered = await db.query<{ kind: SurveyKind }>(
      'SELECT kind FROM survey_responses WHERE conversation_id = $1',
      [row.conversation_id],
    );
    const kind = row.kinds.find((k) => !answered.some((a) => a.kind === k));
    return kind ? { conversationId: row.conversation_id, kind } : undefined;
  }

  return { start, answer, pendingFor };
}

export type Surveys = ReturnType<typeof surveys>;
