import type { Db, Queryable } from '../db/db.js';
import { defineJob, type JobRunner } from '../jobs/jobs.js';
import type { Logger } from '../log.js';
import type { LiveBus } from './bus.js';

/** A change worth telling others about, written in the change's own transaction. */
export interface EventInput {
  type: string;
  conversationId?: string | null;
  data?: Record<string, unknown>;
}

export interface StoredEvent {
  id: number;
  type: string;
  conversationId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Runs at least once per event; `name` is its identity in `event_handled`, so keep it stable. */
export interface Subscriber {
  name: string;
  on: readonly string[];
  /**
   * Whether an event of a type in `on` needs this subscriber at all, judged from what is written
   * (`handle` would return without doing anything otherwise). An event no subscriber needs is
   * stored already dispatched: no dispatch job, no reads and writes to mark it handled.
   */
  wants?(event: EventInput): boolean;
  handle(event: StoredEvent): Promise<void>;
}

/** Events of the transaction, stored when its work is done (still inside it, with it or not at all). */
export type Emit = (...events: EventInput[]) => Promise<void>;

// Held to commit by every transaction that writes events, so ids become visible in order.
const EVENTS_LOCK_KEY = 7_324_002;

interface EventRow {
  id: number | string;
  type: string;
  conversation_id: string | null;
  data: Record<string, unknown>;
  created_at: Date | string;
}

const toEvent = (r: EventRow): StoredEvent => ({
  id: Number(r.id),
  type: r.type,
  conversationId: r.conversation_id,
  data: r.data ?? {},
  createdAt: new Date(r.created_at).toISOString(),
});

export const dispatchJob = defineJob('events-dispatch', (p) => ({
  eventId: Number((p as { eventId: unknown }).eventId),
}));

/**
 * The outbox: `transaction()` writes a change and its events atomically; after commit the live
 * bus hears of them and a dispatch job per event runs the subscribers that have not yet handled
 * it. A sweep re-enqueues whatever a crash or a Redis outage left undispatched.
 */
export function createEvents(deps: { db: Db; jobs: JobRunner; bus: LiveBus; log: Logger }) {
  const { db, jobs, bus, log } = deps;
  const subscribers: Subscriber[] = [];

  const needed = (e: EventInput) => subscribers.some((s) => s.on.includes(e.type) && (s.wants?.(e) ?? true));

  /**
   * A transaction's events in one statement, at its end: the lock that orders ids (taken first,
   * in the same statement) and every row. A turn emits two or three events; a statement each,
   * and a lock each, were most of its writes on the embedded database.
   */
  async function insert(
    tx: Queryable,
    events: EventInput[],
  ): Promise<{ id: number; dispatch: boolean; type: string }[]> {
    if (events.length === 0) return [];
    // An event no subscriber needs is stored for the feeds and is dispatched already.
    const dispatch = events.map(needed);
    const params: unknown[] = [EVENTS_LOCK_KEY];
    const rows = events.map((e, i) => {
      params.push(e.type, e.conversationId ?? null, JSON.stringify(e.data ?? {}), dispatch[i]);
      const n = params.length;
      return `($${n - 3}::text, $${n - 2}::uuid, $${n - 1}::text::jsonb, $${n}::boolean, ${i})`;
    });
    const ids = await tx.query<{ id: number | string }>(
      `WITH held AS MATERIALIZED (SELECT pg_advisory_xact_lock($1))
       INSERT INTO events (type, conversation_id, data, dispatched_at)
       SELECT v.type, v.conversation_id, v.data, CASE WHEN v.dispatch THEN NULL ELSE now() END
       FROM held, (VALUES ${rows.join(', ')}) AS v (type, conversation_id, data, dispatch, n)
       ORDER BY v.n
       RETURNING id`,
      params,
    );
    return events.map((e, i) => ({ id: Number(ids[i]?.id), dispatch: dispatch[i] as boolean, type: e.type }));
  }

  async function announce(written: { id: number; dispatch: boolean; type: string }[]) {
    if (written.length === 0) return;
    // Failures here lose nothing: the events are stored, feeds poll, and the sweep dispatches.
    await bus
      .publish({
        kind: 'events',
        upTo: Math.max(...written.map((w) => w.id)),
        types: [...new Set(written.map((w) => w.type))],
      })
      .catch((err) => log.warn({ err }, 'live bus'));
    for (const { id } of written.filter((w) => w.dispatch)) {
      await jobs
        .enqueue(dispatchJob.name, { eventId: id }, { jobId: `ev-${id}`, attempts: 5 })
        .catch((err) => log.warn({ err, eventId: id }, 'event dispatch not enqueued; the sweep will retry'));
    }
  }

  async function dispatch(eventId: number): Promise<void> {
    const [row] = await db.query<EventRow & { dispatched_at: Date | null }>('SELECT * FROM events WHERE id = $1', [
      eventId,
    ]);
    if (!row || row.dispatched_at) return;
    const event = toEvent(row);
    const done = new Set(
      (
        await db.query<{ subscriber: string }>('SELECT subscriber FROM event_handled WHERE event_id = $1', [eventId])
      ).map((r) => r.subscriber),
    );
    let failed: unknown;
    for (const s of subscribers) {
      if (!s.on.includes(event.type) || done.has(s.name)) continue;
      try {
        await s.handle(event);
        await db.query('INSERT INTO event_handled (event_id, subscriber) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
          eventId,
          s.name,
        ]);
      } catch (error) {
        log.warn({ err: error, eventId, subscriber: s.name }, 'subscriber failed; the event will be retried');
        failed ??= error;
      }
    }
    if (failed) throw failed;
    await db.query('UPDATE events SET dispatched_at = now() WHERE id = $1', [eventId]);
  }

  return {
    subscribe(subscriber: Subscriber) {
      if (subscribers.some((s) => s.name === subscriber.name))
        throw new Error(`Two subscribers named ${subscriber.name}`);
      subscribers.push(subscriber);
    },

    /** Runs `fn` in a transaction; the events it emits are stored in it and announced after commit. */
    async transaction<T>(fn: (tx: Queryable, emit: Emit) => Promise<T>): Promise<T> {
      let written: { id: number; dispatch: boolean; type: string }[] = [];
      const result = await db.transaction(async (tx) => {
        const pending: EventInput[] = [];
        const emit: Emit = async (...events) => {
          pending.push(...events);
        };
        const out = await fn(tx, emit);
        written = await insert(tx, pending);
        return out;
      });
      await announce(written);
      return result;
    },

    dispatch,
    dispatchJob: { ...dispatchJob, handle: (p: { eventId: number }) => dispatch(p.eventId) },

    /** Re-enqueues events older than `olderThanMs` that no dispatch has finished (after a crash). */
    async sweep(olderThanMs = 10_000): Promise<number> {
      const rows = await db.query<{ id: number | string }>(
        `SELECT id FROM events WHERE dispatched_at IS NULL AND created_at < now() - ($1 || ' milliseconds')::interval
         ORDER BY id LIMIT 1000`,
        [String(olderThanMs)],
      );
      const sweep = Date.now().toString(36);
      for (const { id } of rows) {
        await jobs.enqueue(dispatchJob.name, { eventId: Number(id) }, { jobId: `ev-${id}-s${sweep}`, attempts: 5 });
      }
      return rows.length;
    },

    /** Events after `after`, oldest first; `filter.sql` may use $3.. for its own parameters. */
    async read(after: number, limit: number, filter?: { sql: string; params: unknown[] }): Promise<StoredEvent[]> {
      const rows = await db.query<EventRow>(
        `SELECT * FROM events e WHERE e.id > $1 ${filter ? `AND (${filter.sql})` : ''} ORDER BY e.id LIMIT $2`,
        [after, limit, ...(filter?.params ?? [])],
      );
      return rows.map(toEvent);
    },

    /** The id range a feed can resume in: after `prunedThrough`, up to `latest`. */
    async window(): Promise<{ prunedThrough: number; latest: number }> {
      const [row] = await db.query<{ pruned: number | string; latest: number | string | null }>(
        'SELECT (SELECT pruned_through FROM event_retention) AS pruned, (SELECT max(id) FROM events) AS latest',
      );
      const prunedThrough = Number(row?.pruned ?? 0);
      return { prunedThrough, latest: Math.max(prunedThrough, Number(row?.latest ?? 0)) };
    },

    /** Drops dispatched events older than the retention; feeds resuming before them are told to reload. */
    async prune(retainHours: number): Promise<number> {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ id: number | string }>(
          `DELETE FROM events WHERE dispatched_at IS NOT NULL AND created_at < now() - ($1 || ' hours')::interval
           RETURNING id`,
          [String(retainHours)],
        );
        if (rows.length > 0) {
          const through = Math.max(...rows.map((r) => Number(r.id)));
          await tx.query('UPDATE event_retention SET pruned_through = GREATEST(pruned_through, $1)', [through]);
        }
        return rows.length;
      });
    },
  };
}

export type Events = ReturnType<typeof createEvents>;
