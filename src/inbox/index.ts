import type { Decide } from '../bot/index.js';
import { defineJob, enqueueJob, processor } from '../platform/jobs/jobs.js';
import type { Module, Platform } from '../platform/module.js';
import { agentReplies } from './agent-replies.js';
import { contactInbound, continueOrOpen } from './contact-inbound.js';
import { conversationCommands } from './conversations.js';
import { feedbackCommands } from './feedback.js';
import { notifications } from './notify.js';
import { createReceiver } from './receive.js';
import { routing } from './routing.js';
import { conversationsWithUndecided } from './store.js';
import { turnLeases } from './turn-lease.js';

export type { ContactMessage } from './contact-inbound.js';
export { listHandoffs } from './handoffs.js';
export { listQueue, type QueueFilter, type QueueItem } from './queue.js';
export type { InboundMessage, ReceiveOutcome } from './receive.js';
export type { Conversation, ConversationStatus, Message, MessageRole } from './store.js';
export { getConversation, getMessage, listMessages } from './store.js';
export {
  conversationView,
  customerMessageView,
  customerSees,
  handoffView,
  type MessageView,
  messageView,
} from './views.js';

const drainJob = defineJob('inbox-drain', (p) => ({
  conversationId: String((p as { conversationId: unknown }).conversationId),
}));

// How often waiting times are checked against the SLA and waiting conversations routed.
const QUEUE_SWEEP_MS = 30_000;

// Messages left undecided this long (a failed turn, a dropped request) are picked up by the sweep.
const STALE_MS = 30_000;

/**
 * The inbox: the only writer of contacts, conversations, messages and hand-offs. Channels hand
 * it customers' messages; it asks the bot and stores what the bot decided, with the events.
 */
export interface InboxOptions {
  /**
   * Channels whose replies reach the customer without a send of their own (the REST response,
   * the widget's live feed): a bot reply there is delivered when stored, with no delivery job.
   */
  deliveredOnStore?: readonly string[];
}

export function inboxModule(platform: Platform, decide: Decide, options: InboxOptions = {}) {
  const { config, db, jobs, log } = platform;
  const leaseMs = config.TURN_DEADLINE_MS * 2 + 5000;
  const leases = turnLeases(db, { leaseMs, waitMs: leaseMs * 2 });
  const receiver = createReceiver(platform, decide, leases, new Set(options.deliveredOnStore ?? []));
  const conversations = conversationCommands(platform.events);
  const feedback = feedbackCommands(platform.events);
  const queue = routing(platform.events, log, config.SLA_WAIT_MINUTES);
  const reply = agentReplies(platform.events, config.MESSAGE_MAX_CHARS);
  let sweep: NodeJS.Timeout | undefined;
  let queueSweep: NodeJS.Timeout | undefined;

  /** Enqueues a drain for every conversation with a message stored but not decided. */
  async function recover(olderThanMs = 0): Promise<number> {
    const ids = await conversationsWithUndecided(db, olderThanMs);
    const at = Date.now().toString(36);
    for (const conversationId of ids) {
      await enqueueJob(jobs, drainJob, { conversationId }, { jobId: `drain-${conversationId}-${at}`, attempts: 3 });
    }
    if (ids.length > 0) log.info({ conversations: ids.length }, 'answering messages left undecided');
    return ids.length;
  }

  const module: Module = {
    name: 'inbox',
    jobs: [processor(drainJob, ({ conversationId }) => receiver.drain(conversationId))],
    // A conversation that starts waiting, or an agent freed by one that ends, may be routed now.
    subscribers: [
      {
        name: 'inbox-routing',
        on: ['conversation.handed_off', 'conversation.resolved', 'conversation.handed_back', 'staff.available'],
        handle: async () => {
          await queue.assignWaiting();
        },
      },
    ],
    async start() {
      await recover();
      sweep = setInterval(() => void recover(STALE_MS).catch((err) => log.warn({ err }, 'inbox sweep')), STALE_MS);
      sweep.unref();
      queueSweep = setInterval(
        () => void queue.sweep().catch((err) => log.warn({ err }, 'queue sweep')),
        QUEUE_SWEEP_MS,
      );
      queueSweep.unref();
    },
    async stop() {
      clearInterval(sweep);
      clearInterval(queueSweep);
    },
  };

  return {
    module,
    receive: receiver.receive,
    /** For channels that know the customer, not the conversation (WhatsApp, the widget). */
    receiveFrom: contactInbound(platform.events, receiver),
    rate: feedback.rate,
    drain: receiver.drain,
    recover,
    open: conversations.open,
    /** A returning contact's open conversation on the channel, else a new one. */
    continueOrOpen: continueOrOpen(platform.events),
    resolve: (id: string) => conversations.setStatus(id, 'resolved'),
    assign: conversations.assign,
    /** An agent's reply to the customer, or an internal note. */
    reply,
    /** A message Sanad sends outside a turn (a survey question), delivered on the channel. */
    notify: notifications(platform.events),
    /** Gives waiting conversations to available agents within capacity, least loaded first. */
    assignWaiting: queue.assignWaiting,
    flagSlaBreaches: queue.flagBreaches,
    setAvailable: async (staffId: string, available: boolean) => {
      await platform.events.transaction(async (tx, emit) => {
        await tx.query('UPDATE staff SET available = $2 WHERE id = $1', [staffId, available]);
        await emit({ type: 'staff.available', data: { staffId, available } });
      });
    },
    handBack: (id: string) => conversations.setStatus(id, 'bot'),
  };
}

export type Inbox = ReturnType<typeof inboxModule>;
