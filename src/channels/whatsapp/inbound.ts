import type { ContentType } from '../../bot/index.js';
import type { ContactMessage, Inbox } from '../../inbox/index.js';
import { Problem } from '../../platform/http/problem.js';
import type { Platform } from '../../platform/module.js';
import type { SurveyKind, Surveys } from '../../surveys/index.js';
import type { DeliveryStatusUpdate } from '../channel.js';
import { deliveryRecords } from '../delivery-records.js';
import type { GraphClient } from './graph-client.js';
import { BUTTON_IDS, buttonMessage, wordingFor } from './outbound.js';
import type { MessagesValue, WaContent, WaMessage, WaStatus } from './payload.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MEDIA = ['image', 'audio', 'video', 'document', 'sticker'] as const;

/** What one inbound WhatsApp message asks of Sanad. */
export type InboundAction =
  | { kind: 'receive'; message: Omit<ContactMessage, 'channel' | 'contact'> }
  | { kind: 'rate'; messageId: string; helpful: boolean }
  | { kind: 'survey'; conversationId: string; survey: SurveyKind; score: number }
  | { kind: 'ignore'; reason: string };

/**
 * Reads one message: text and button presses as the customer meant them, every other type
 * with its content type, the caption as text and what identifies the content in `details`.
 */
export function actionOf(message: WaMessage): InboundAction {
  const channelMessageId = message.id;
  // A reaction comments on a message already answered, and a deletion takes one back: neither
  // is a new question, and the bot's "please write your question" would answer an emoji.
  // Stored nowhere for now (the inbox has no silent message); logged by type only.
  if (message.type === 'reaction') return { kind: 'ignore', reason: 'reaction' };
  if (message.type === 'revoke') return { kind: 'ignore', reason: 'deletion' };
  // A changed number or similar system notice is not the customer speaking.
  if (message.type === 'system') return { kind: 'ignore', reason: 'system notice' };
  if (message.type === 'edit' && message.edit) {
    // An edit is the customer restating their message: it gets an answer like a new one.
    const edited = contentOf(message.edit.message as WaContent);
    return {
      kind: 'receive',
      message: {
        ...edited,
        channelMessageId,
        details: { ...edited.details, editOf: message.edit.original_message_id },
      },
    };
  }
  const press = pressOf(message);
  if (press) {
    if (press.id === BUTTON_IDS.human) {
      return { kind: 'receive', message: { text: press.title, channelMessageId, intent: 'human' } };
    }
    const surveyed = /^survey:([^:]+):(csat|nps|ces):(\d{1,2})$/.exec(press.id);
    if (surveyed && UUID.test(surveyed[1] as string)) {
      return {
        kind: 'survey',
        conversationId: surveyed[1] as string,
        survey: surveyed[2] as SurveyKind,
        score: Number(surveyed[3]),
      };
    }
    const rated = /^helpful:([^:]+):(yes|no)$/.exec(press.id);
    if (rated && UUID.test(rated[1] as string)) {
      return { kind: 'rate', messageId: rated[1] as string, helpful: rated[2] === 'yes' };
    }
    // Someone else's button (a template's quick reply): what it says is what the customer said.
    return { kind: 'receive', message: { text: press.title, channelMessageId, details: { buttonId: press.id } } };
  }
  return { kind: 'receive', message: { ...contentOf(message), channelMessageId } };
}

function pressOf(message: WaMessage): { id: string; title: string } | undefined {
  if (message.type === 'interactive') {
    const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
    if (reply) return { id: reply.id, title: reply.title };
  }
  if (message.type === 'button' && message.button) {
    return { id: message.button.payload ?? message.button.text, title: message.button.text };
  }
  return undefined;
}

function contentOf(content: WaContent): {
  text: string;
  contentType?: ContentType;
  details?: Record<string, unknown>;
} {
  if (content.type === 'text' && content.text) return { text: content.text.body };
  for (const type of MEDIA) {
    const media = content.type === type ? content[type] : undefined;
    if (media) {
      return {
        text: media.caption ?? '',
        contentType: type,
        details: compact({
          mediaId: media.id,
          mimeType: media.mime_type,
          filename: media.filename,
          voice: media.voice,
        }),
      };
    }
  }
  if (content.type === 'location' && content.location) {
    const { latitude, longitude, name, address } = content.location;
    return {
      text: [name, address].filter(Boolean).join(', '),
      contentType: 'location',
      details: compact({ latitude, longitude, name, address }),
    };
  }
  if (content.type === 'contacts' && content.contacts) {
    return { text: '', contentType: 'contacts', details: { contacts: content.contacts } };
  }
  if (content.type === 'order' && content.order) {
    return {
      text: content.order.text ?? '',
      contentType: 'order',
      details: compact({ catalogId: content.order.catalog_id, items: content.order.product_items }),
    };
  }
  // Meta's "unsupported"/"unknown" (a poll, a view-once photo…) and types newer than this code.
  const code = content.errors?.[0]?.code;
  return { text: '', contentType: 'unsupported', details: compact({ type: content.type, errorCode: code }) };
}

const compact = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

export function statusUpdateOf(status: WaStatus): DeliveryStatusUpdate | undefined {
  if (!STATUSES.has(status.status)) return undefined;
  const error = status.errors?.[0];
  return {
    channel: 'whatsapp',
    channelMessageId: status.id,
    status: status.status as DeliveryStatusUpdate['status'],
    ...(status.status === 'failed'
      ? { error: error ? `WhatsApp error ${error.code}: ${error.title ?? error.message ?? 'failed'}` : 'failed' }
      : {}),
  };
}

/**
 * Handles the `messages` values of one webhook: every message through the inbox (which stores
 * a repeated wamid once), every status on its message. Safe to run again on the same payload.
 */
export function webhookHandler(platform: Platform, inbox: Inbox, client: GraphClient, surveys?: Surveys) {
  const { db, log } = platform;
  const records = deliveryRecords(platform);

  async function handleMessage(message: WaMessage, name: string | undefined): Promise<void> {
    const action = actionOf(message);
    const contact = { externalId: message.from, name: name ?? null };
    if (action.kind === 'ignore') {
      log.info({ type: message.type, reason: action.reason }, 'whatsapp message not passed to the inbox');
      return;
    }
    try {
      if (action.kind === 'survey') {
        await answerSurvey(action.conversationId, action.survey, action.score, message.from);
        return;
      }
      if (action.kind === 'receive') {
        // A bare number right after a survey question (NPS is asked that way) is its answer.
        const pending =
          surveys && /^\s*\d{1,2}\s*$/.test(action.message.text) && !action.message.contentType
            ? await surveys.pendingFor('whatsapp', message.from)
            : undefined;
        if (pending) {
          await answerSurvey(pending.conversationId, pending.kind, Number(action.message.text.trim()), message.from);
          return;
        }
        await inbox.receiveFrom({ channel: 'whatsapp', contact, ...action.message });
        return;
      }
      await rate(action.messageId, action.helpful, message.from);
    } catch (error) {
      // The inbox refused the message for good (too long, a rating of a non-answer): a retry
      // would be refused again, so it is logged and the rest of the payload goes on.
      if (error instanceof Problem && error.status < 500) {
        log.warn({ type: message.type, problem: error.slug }, 'whatsapp message refused by the inbox');
        return;
      }
      throw error;
    }
  }

  /** A survey score, for a conversation of this contact only; a repeat or a late one is refused politely. */
  async function answerSurvey(conversationId: string, kind: SurveyKind, score: number, from: string): Promise<void> {
    const [mine] = await db.query(
      `SELECT 1 FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
       WHERE c.id = $1 AND c.channel = 'whatsapp' AND ct.external_id = $2`,
      [conversationId, from],
    );
    if (!mine || !surveys) {
      log.warn('whatsapp survey answer for a conversation not this contact’s; ignored');
      return;
    }
    await surveys.answer({ conversationId, kind, score, channel: 'whatsapp' });
  }

  /** "Helpful?" from one of our buttons, on an answer in this contact's conversation only. */
  async function rate(messageId: string, helpful: boolean, from: string): Promise<void> {
    const [answer] = await db.query<{ lang: string | null; status: string }>(
      `SELECT m.lang, c.status FROM messages m JOIN conversations c ON c.id = m.conversation_id
       JOIN contacts ct ON ct.id = c.contact_id
       WHERE m.id = $1 AND c.channel = 'whatsapp' AND ct.external_id = $2`,
      [messageId, from],
    );
    if (!answer) {
      log.warn('whatsapp rating of a message not in this contact’s conversations; ignored');
      return;
    }
    await inbox.rate({ messageId, helpful });
    // "Not helpful" while the bot still has the conversation: a person is one press away.
    // This prompt is the channel's own, like the buttons themselves, so the inbox does not store it.
    if (!helpful && answer.status === 'bot') {
      const words = wordingFor(answer.lang);
      await client.send(buttonMessage(from, words.notHelpedOffer, [{ id: BUTTON_IDS.human, title: words.human }], {}));
    }
  }

  return async function handle(values: MessagesValue[]): Promise<{ messages: number; statuses: number }> {
    let messages = 0;
    let statuses = 0;
    for (const value of values) {
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const message of value.messages ?? []) {
        await handleMessage(message, names.get(message.from));
        messages++;
      }
      for (const status of value.statuses ?? []) {
        const update = statusUpdateOf(status);
        if (update) await records.updateStatus(update);
        statuses++;
      }
    }
    return { messages, statuses };
  };
}
