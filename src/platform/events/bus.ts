import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/**
 * What live feeds hear about: "events up to id N are stored" (each feed then reads them from
 * the outbox, so the bus never needs to be reliable), a reply's text as it is produced, or
 * someone typing (both ephemeral: nothing is lost if a note is, the stored message is the truth).
 */
export type LiveNote =
  | {
      kind: 'events';
      upTo: number;
      /** The types among them, so a listener can skip what it does not follow. */
      types?: string[];
    }
  | { kind: 'stream'; conversationId: string; replyTo: string; text: string }
  | { kind: 'typing'; conversationId: string; role: 'customer' | 'agent'; name: string | null };

/** A note about one conversation, as it is happening. */
export type ConversationNote = Exclude<LiveNote, { kind: 'events' }>;

export interface LiveBus {
  readonly kind: 'in-process' | 'redis';
  publish(note: LiveNote): Promise<void>;
  subscribe(listener: (note: LiveNote) => void): () => void;
  close(): Promise<void>;
}

function listeners() {
  const set = new Set<(note: LiveNote) => void>();
  return {
    add(fn: (note: LiveNote) => void) {
      set.add(fn);
      return () => void set.delete(fn);
    },
    emit(note: LiveNote, log: Logger) {
      for (const fn of set) {
        try {
          fn(note);
        } catch (error) {
          log.warn({ err: error }, 'a live-feed listener failed');
        }
      }
    },
  };
}

/** The embedded default: one process, so its own listeners are every listener. */
export function inProcessBus(log: Logger): LiveBus {
  const local = listeners();
  return {
    kind: 'in-process',
    async publish(note) {
      local.emit(note, log);
    },
    subscribe: (fn) => local.add(fn),
    async close() {},
  };
}

/** Several API processes: every note goes through Redis pub/sub, so each process's feeds hear it. */
export async function redisBus(url: string, log: Logger, prefix = 'sanad'): Promise<LiveBus> {
  const channel = `${prefix}-live`;
  const publisher = new Redis(url, { maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  const local = listeners();
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      local.emit(JSON.parse(raw) as LiveNote, log);
    } catch (error) {
      log.warn({ err: error }, 'an unreadable live note');
    }
  });
  await subscriber.subscribe(channel);
  return {
    kind: 'redis',
    async publish(note) {
      await publisher.publish(channel, JSON.stringify(note));
    },
    subscribe: (fn) => local.add(fn),
    async close() {
      await Promise.all([publisher, subscriber].map((r) => r.quit().catch(() => {})));
    },
  };
}
