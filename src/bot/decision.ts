import type { Retrieval } from '../knowledge/retrieve.js';
import type { Lang } from '../text/language.js';
import type { SentimentScore } from '../understanding/sentiment/sentiment.js';
import type { Answer } from './answerer.js';
import type { AssistTrace } from './model-assists.js';
import type { HandoffReason } from './policy.js';

/** What the bot sees of a conversation when it decides: a snapshot, read under the turn's lease. */
export interface ConversationSnapshot {
  id: string;
  status: 'bot' | 'waiting_human' | 'assigned' | 'resolved' | 'closed';
  lang: Lang | null;
  modelCalls: number;
  botFailures: number;
  lastArticleId: string | null;
  /** Sentiment of the customer's earlier messages, oldest first. */
  sentimentTrend: number[];
  /** The bot's last reply asked "did you mean …?": the articles it offered and the question behind it. */
  pendingChoice?: PendingChoice;
  /** The customer's previous question in this conversation (redacted), for follow-ups. */
  previousQuestion?: { text: string; lang: Lang } | null;
}

/** An article offered in a "did you mean …?" reply. */
export interface Choice {
  articleId: string;
  title: string;
}

export interface PendingChoice {
  choices: Choice[];
  /** The (redacted) question the choices were offered for. */
  question: string;
}

/**
 * What a customer sent besides text (WhatsApp's message types): stored as what it is, and
 * answered with a request to write instead, since the bot reads only text.
 */
export const CONTENT_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'order',
  'unsupported',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** The customer's message as stored: validated text and its language. */
export interface IncomingMessage {
  id: string;
  content: string;
  lang: Lang;
  /** Text unless the channel said otherwise. */
  contentType?: ContentType;
  /** The customer pressed "talk to a person" (a widget or WhatsApp button), not typed it. */
  intent?: 'human';
  /** A structured answer to "did you mean …?" (a button or list press): an offered article's id, or 'none'. */
  choice?: string;
}

export interface HandoffCandidate {
  articleId: string;
  title: string;
  score: number;
  similarity: number;
}

interface Common {
  lang: Lang;
  /** The message with personal data redacted: all a model or a log ever sees of it. */
  question: string;
  sentiment: SentimentScore;
  /** Model calls this decision cost, counted against the conversation's budget. */
  modelCalls: number;
  /** The conversation's count of consecutive "that didn't help" after this message. */
  botFailures: number;
  retrieval?: Retrieval;
  answer?: Answer;
  /** What the model assists changed in this turn (when switched on). */
  assists?: AssistTrace;
}

export type Decision = Common &
  (
    | { kind: 'answer'; reply: string; answer: Answer; retrieval: Retrieval }
    | { kind: 'small_talk'; reply: string; topic: string }
    | { kind: 'clarify'; reply: string; why: 'not_helped' | 'unsupported_content' }
    | { kind: 'clarify'; reply: string; why: 'did_you_mean'; choices: Choice[]; confidence: number }
    | {
        kind: 'handoff';
        reply: string;
        reason: HandoffReason;
        team: string;
        priority: number;
        confidence: number | null;
        candidates: HandoffCandidate[];
      }
    | { kind: 'silent' }
  );

export type DecisionKind = Decision['kind'];
