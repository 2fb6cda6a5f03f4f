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
  handle(event: StoredEvent): Promise<void>;
}

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

  const listened = (type: string) => subscribers.some((s) => s.on.includes(type));

  async function insert(
    tx: Queryable,
    events: EventInput[],
  ): Promise<{ id: number; dispatch: boolean; type: string }[]> {
    if (events.length === 0) return [];
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EVENTS_LOCK_KEY]);
    const out: { id: number; dispatch: boolean; type: string }[] = [];
    for (const e of events) {
      // An event no subscriber listens to is stored for the feeds and is dispatched already.
      const dispatch = listened(e.type);
      const [row] = await tx.query<{ id: number | string }>(
        `INSERT INTO events (type, conversation_id, data, dispatched_at)
         VALUES ($1, $2, $3::text::jsonb, CASE WHEN $4 THEN NULL ELSE now() END) RETURNING id`,
        [e.type, e.conversationId ?? null, JSON.stringify(e.data ?? {}), dispatch],
      );
      out.push({ id: Number(row?.id), dispatch, type: e.type });
    }
    return out;
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
      const written: { id: number; dispatch: boolean; type: string }[] = [];
      const result = await db.transaction(async (tx) => {
        const emit: Emit = async (...events) => {
          written.push(...(await insert(tx, events)));
        };
        return fn(tx, emit);
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
