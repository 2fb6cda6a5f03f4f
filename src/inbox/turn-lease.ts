import { randomBytes } from 'node:crypto';
import type { Queryable } from '../platform/db/db.js';
import type { Conversation } from './store.js';

/** Another process holds the conversation's turn for longer than a caller should wait. */
export class TurnBusyError extends Error {
  constructor(readonly conversationId: string) {
    super(`conversation ${conversationId} is busy with another turn`);
  }
}

export interface TurnLease {
  /** This holder's id, written in `conversations.turn_owner` while it holds the turn. */
  owner: string;
  /** The conversation as it was when the turn was taken (the lease's own write returns it). */
  conversation: Conversation;
  /** Extends the lease before a long step (each decision gets a full lease). */
  renew(): Promise<void>;
  /**
   * Ends the turn now unless a customer message is waiting, in one statement (the check and the
   * release together): true when ended. A message stored after it is answered by its own
   * receiver, which takes the turn once this one is given up.
   */
  endIfIdle(): Promise<boolean>;
}

/**
 * Serialises the turns of one conversation: a FIFO chain per conversation inside this process,
 * and a lease row (`turn_owner`, `turn_lease_until`) across processes. A lease, not a held
 * transaction or session lock: the embedded database runs one statement at a time, so a
 * transaction open while the bot thinks would stop every other conversation; and a crashed
 * holder's lease simply expires.
 */
export function turnLeases(db: Queryable, options: { leaseMs: number; waitMs: number }) {
  const process = randomBytes(6).toString('hex');
  let counter = 0;
  const chains = new Map<string, Promise<void>>();

  async function acquire(conversationId: string, owner: string): Promise<Conversation | undefined> {
    const [row] = await db.query<Conversation>(
      `UPDATE conversations SET turn_owner = $2, turn_lease_until = now() + ($3 || ' milliseconds')::interval
       WHERE id = $1 AND (turn_lease_until IS NULL OR turn_lease_until < now()) RETURNING *`,
      [conversationId, owner, String(options.leaseMs)],
    );
    return row;
  }

  async function holdLease<T>(conversationId: string, fn: (lease: TurnLease) => Promise<T>): Promise<T> {
    const owner = `${process}-${++counter}`;
    const until = Date.now() + options.waitMs;
    let conversation = await acquire(conversationId, owner);
    for (let attempt = 0; !conversation; attempt++) {
      if (Date.now() > until) throw new TurnBusyError(conversationId);
      // Another process has the turn: back off with jitter; its turn ends within a lease.
      await new Promise((r) => setTimeout(r, Math.min(500, 20 * 2 ** attempt) * (0.5 + Math.random())));
      conversation = await acquire(conversationId, owner);
    }
    let ended = false;
    const lease: TurnLease = {
      owner,
      conversation,
      async renew() {
        await db.query(
          `UPDATE conversations SET turn_lease_until = now() + ($3 || ' milliseconds')::interval
           WHERE id = $1 AND turn_owner = $2`,
          [conversationId, owner, String(options.leaseMs)],
        );
      },
      async endIfIdle() {
        const rows = await db.query(
          `UPDATE conversations SET turn_owner = NULL, turn_lease_until = NULL
           WHERE id = $1 AND turn_owner = $2 AND NOT EXISTS (
             SELECT 1 FROM messages WHERE conversation_id = $1 AND role = 'customer' AND decided_at IS NULL)
           RETURNING id`,
          [conversationId, owner],
        );
        ended = rows.length > 0;
        return ended;
      },
    };
    try {
      return await fn(lease);
    } finally {
      if (!ended)
        await db
          .query(
            'UPDATE conversations SET turn_owner = NULL, turn_lease_until = NULL WHERE id = $1 AND turn_owner = $2',
            [conversationId, owner],
          )
          .catch(() => {});
    }
  }

  return {
    /** Runs `fn` holding the conversation's turn; callers queue in arrival order. */
    async withTurn<T>(conversationId: string, fn: (lease: TurnLease) => Promise<T>): Promise<T> {
      const previous = chains.get(conversationId) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((r) => {
        release = r;
      });
      const tail = previous.then(() => mine);
      chains.set(conversationId, tail);
      await previous;
      try {
        return await holdLease(conversationId, fn);
      } finally {
        release();
        if (chains.get(conversationId) === tail) chains.delete(conversationId);
      }
    },
  };
}

export type TurnLeases = ReturnType<typeof turnLeases>;
