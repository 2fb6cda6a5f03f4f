import type { ContentType, Decide, Decision } from '../bot/index.js';
import { problems } from '../platform/http/problem.js';
import type { Platform } from '../platform/module.js';
import { detectLanguage, type Lang } from '../text/language.js';
import { type Applied, applyDecision } from './apply.js';
import { type HandoffRecord, handoffFor } from './handoffs.js';
import {
  type Conversation,
  getConversation,
  getMessage,
  type Message,
  nextUndecided,
  previousTurn,
  replyTo,
  storeCustomerMessage,
} from './store.js';
import type { TurnLeases } from './turn-lease.js';
import { validateMessageText } from './validate.js';
import { messageView } from './views.js';

export interface InboundMessage {
  conversationId: string;
  /** What the customer wrote; for other content types, the caption (may be empty). */
  text: string;
  /** The channel's id for this message: a repeated delivery is stored once and answered once. */
  channelMessageId?: string | null;
  /** Text unless the channel says otherwise (a photo, a voice note, a location…). */
  contentType?: ContentType;
  /** The customer pressed "talk to a person" rather than typing it. */
  intent?: 'human';
  /** A press answering "did you mean …?": the offered article's id, or 'none'. */
  choice?: string;
  /** What the channel knows of the content beyond its text (a media id, a location), kept as is. */
  details?: Record<string, unknown>;
  /** The conversation as the caller just read it (to check who may write to it): not read again. */
  conversation?: Conversation;
}

export interface ReceiveOutcome {
  /** The customer's message as stored, with its sentiment once decided. */
  message: Message;
  /** True when this delivery repeated one already stored. */
  duplicate: boolean;
  reply?: Message;
  handoff?: HandoffRecord;
  /** True when the bot stayed quiet because a person has the conversation. */
  silent: boolean;
  /** The bot's decision, when this call's turn made it (absent for a repeat answered before). */
  decision?: Decision;
}

const REMEMBERED_DECISIONS = 1000;

/**
 * `receive()`: store the customer's message first (idempotent on the channel's id), then take
 * the conversation's turn and decide every message still waiting, oldest first, each decision
 * applied with its events in one transaction. A repeat whose first delivery is still being
 * handled waits for that outcome; one whose first delivery failed half-way is handled now.
 */
export function createReceiver(
  platform: Platform,
  decide: Decide,
  leases: TurnLeases,
  deliveredOnStore: ReadonlySet<string> = new Set(),
) {
  const { db, events, log, config, bus } = platform;
  // Decisions made by one caller's turn for another caller's message, until that caller reads it.
  const recent = new Map<string, { decision: Decision; applied: Applied }>();
  const remember = (id: string, decision: Decision, applied: Applied) => {
    recent.set(id, { decision, applied });
    if (recent.size > REMEMBERED_DECISIONS) recent.delete(recent.keys().next().value as string);
  };

  async function decideOne(message: Message, conversation: Conversation): Promise<Decision> {
    const snapshot = {
      id: conversation.id,
      status: conversation.status,
      lang: conversation.lang,
      modelCalls: conversation.model_calls,
      botFailures: conversation.bot_failures,
      lastArticleId: conversation.last_article_id,
      ...(await previousTurn(db, message)),
    };
    const meta = message.meta as { contentType?: ContentType; intent?: 'human'; choice?: string };
    const incoming = {
      id: message.id,
      content: message.content,
      lang: (message.lang ?? 'ar') as Lang,
      contentType: meta.contentType,
      intent: meta.intent,
      choice: meta.choice,
    };
    return decide(incoming, snapshot, {
      onText: (text) =>
        void bus
          .publish({ kind: 'stream', conversationId: conversation.id, replyTo: message.id, text })
          .catch(() => {}),
    });
  }

  /** Decides every waiting message of the conversation, in order, holding its turn. */
  async function drain(conversationId: string): Promise<void> {
    await leases.withTurn(conversationId, async (lease) => {
      for (let turn = 0; ; turn++) {
        const message = await nextUndecided(db, conversationId);
        if (!message) return;
        // Each decision gets a whole lease: the first has it from acquiring the turn, and the
        // conversation as the lease read it; later ones read it again (the last decision changed it).
        if (turn > 0) await lease.renew();
        const conversation =
          turn === 0 ? lease.conversation : ((await getConversation(db, conversationId)) as Conversation);
        const decision = await decideOne(message, conversation);
        let applied: Applied | undefined;
        try {
          applied = await events.transaction((tx, emit) =>
            applyDecision(tx, emit, { message, decision, owner: lease.owner, deliveredOnStore }),
          );
        } catch (error) {
          // A decision that cannot be stored must not block the conversation: hand it to a person.
          log.error({ err: error, conversationId }, 'storing the decision failed; handing off instead');
          const fallback = handoffInstead(decision, config.DEFAULT_TEAM);
          applied = await events.transaction((tx, emit) =>
            applyDecision(tx, emit, { message, decision: fallback, owner: lease.owner, deliveredOnStore }),
          );
        }
        if (applied) remember(message.id, decision, applied);
        if (applied?.handoff) {
          const { reason, team, priority } = applied.handoff;
          log.info({ conversationId, reason, team, priority }, 'handed off to a person');
        }
        if (await lease.endIfIdle()) return;
      }
    });
  }

  async function outcomeOf(messageId: string, duplicate: boolean): Promise<ReceiveOutcome> {
    const remembered = recent.get(messageId);
    recent.delete(messageId);
    // Decided by this call: the rows its transaction wrote are the outcome, without reading them back.
    if (!duplicate && remembered?.applied.message) {
      const { message, reply, handoff } = remembered.applied;
      return {
        message,
        duplicate,
        reply,
        handoff,
        silent: message.decided_at !== null && !reply,
        decision: remembered.decision,
      };
    }
    const message = (await getMessage(db, messageId)) as Message;
    const [reply, handoff] = await Promise.all([replyTo(db, messageId), handoffFor(db, messageId)]);
    return {
      message,
      duplicate,
      reply,
      handoff,
      silent: message.decided_at !== null && !reply,
      decision: duplicate ? undefined : remembered?.decision,
    };
  }

  return {
    drain,

    outcomeOf,

    async receive(input: InboundMessage): Promise<ReceiveOutcome> {
      const contentType = input.contentType ?? 'text';
      // A photo without a caption is still a message: its placeholder says what it was.
      const text = contentType !== 'text' && !input.text.trim() ? `[${contentType}]` : input.text;
      const content = validateMessageText(text, config.MESSAGE_MAX_CHARS);
      const conversation =
        input.conversation?.id === input.conversationId
          ? input.conversation
          : await getConversation(db, input.conversationId);
      if (!conversation) throw problems.notFound('Conversation', input.conversationId);
      if (conversation.status === 'resolved' || conversation.status === 'closed') {
        throw problems.conflict(
          'conversation-closed',
          `The conversation is ${conversation.status}; open a new conversation to write again.`,
        );
      }
      // Without a letter ("👍", "?", "123") the text says nothing about the language: keep the conversation's.
      // A placeholder ("[image]") says nothing about the language either.
      const wordless = !/\p{L}/u.test(content) || text !== input.text;
      const lang: Lang = (wordless && conversation.lang) || detectLanguage(content).lang;
      const { message, duplicate } = await events.transaction(async (tx, emit) => {
        const stored = await storeCustomerMessage(tx, {
          conversationId: conversation.id,
          content,
          lang,
          channelMessageId: input.channelMessageId,
          meta: metaOf(input, contentType),
        });
        if (!stored.duplicate) {
          await emit({ type: 'message.created', conversationId: conversation.id, data: messageView(stored.message) });
        }
        return stored;
      });
      if (!message.decided_at) await drain(conversation.id);
      return outcomeOf(message.id, duplicate);
    },
  };
}

function metaOf(input: InboundMessage, contentType: ContentType): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (contentType !== 'text') meta.contentType = contentType;
  if (input.intent) meta.intent = input.intent;
  if (input.choice) meta.choice = input.choice;
  if (input.details) meta.details = input.details;
  return meta;
}

function handoffInstead(decision: Decision, team: string): Decision {
  const { lang, question, sentiment, botFailures } = decision;
  return {
    lang,
    question,
    sentiment,
    botFailures,
    modelCalls: decision.modelCalls,
    kind: 'handoff',
    reason: 'model_unavailable',
    team: decision.kind === 'handoff' ? decision.team : team,
    priority: decision.kind === 'handoff' ? decision.priority : 50,
    confidence: null,
    candidates: [],
    reply: decision.kind === 'handoff' ? decision.reply : fallbackNotice(lang),
  };
}

const fallbackNotice = (lang: Lang) =>
  lang === 'ar' ? 'سأحوّل محادثتك إلى أحد موظفي خدمة العملاء.' : "I'm passing your conversation to our team.";
