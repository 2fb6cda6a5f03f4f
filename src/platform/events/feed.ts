import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ConversationNote, LiveBus } from './bus.js';
import type { Events, StoredEvent } from './outbox.js';

/** What one caller may follow: which stored events, shaped how, and which streamed replies. */
export interface FeedScope {
  /** SQL over `events e` limiting the rows read; parameters from $3. */
  filter?: { sql: string; params: unknown[] };
  /** The event as this caller sees it, or null to skip it. */
  project(event: StoredEvent): Record<string, unknown> | null | Promise<Record<string, unknown> | null>;
  /** Whether a reply being produced, or someone typing, belongs to what this caller follows. */
  streams(note: ConversationNote): boolean | Promise<boolean>;
}

const BATCH = 200;

/** The id a client resumes after: `Last-Event-ID` (a reconnecting EventSource) or `?after=`. */
export function resumeFrom(c: Context): number | undefined {
  const raw = c.req.header('last-event-id') ?? c.req.query('after');
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : Number.NaN;
}

/**
 * A live feed over `text/event-stream`: stored events after `after` (each with its outbox id,
 * so a reconnect resumes without loss or repeats), then new ones as the bus announces them,
 * plus replies as they are produced and who is typing (no id: they are not stored). A resume from before the
 * retained window, or from an id this database never gave, gets a `reset` event: reload.
 */
export function liveFeed(
  c: Context,
  deps: { events: Events; bus: LiveBus; heartbeatMs?: number },
  scope: FeedScope,
  after: number | undefined,
): Response {
  const { events, bus } = deps;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  c.header('cache-control', 'no-cache, no-transform');
  c.header('x-accel-buffering', 'no');
  return streamSSE(c, async (stream) => {
    let closed = false;
    let wake: (() => void) | undefined;
    let announced = 0;
    const nudge = () => {
      wake?.();
      wake = undefined;
    };
    const unsubscribe = bus.subscribe((note) => {
      if (note.kind === 'events') {
        announced = Math.max(announced, note.upTo);
        nudge();
        return;
      }
      void (async () => {
        if (closed || !(await scope.streams(note))) return;
        await stream.writeSSE(
          note.kind === 'stream'
            ? {
                event: 'reply.streaming',
                data: JSON.stringify({ conversationId: note.conversationId, replyTo: note.replyTo, text: note.text }),
              }
            : {
                event: 'typing',
                data: JSON.stringify({ conversationId: note.conversationId, role: note.role, name: note.name }),
              },
        );
      })().catch(() => {});
    });
    stream.onAbort(() => {
      closed = true;
      nudge();
    });
    try {
      const window = await events.window();
      let last = after ?? window.latest;
      if (after !== undefined && (Number.isNaN(after) || after < window.prunedThrough || after > window.latest)) {
        await stream.writeSSE({
          event: 'reset',
          data: JSON.stringify({
            reason: Number.isNaN(after) || after > window.latest ? 'unknown_id' : 'expired',
            detail: 'Events after this id are no longer kept: reload the current state, then follow from the id given.',
            resumeFrom: window.latest,
          }),
        });
        last = window.latest;
      }
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ after: last }) });
      while (!closed) {
        const mark = announced;
        const batch = await events.read(last, BATCH, scope.filter);
        for (const event of batch) {
          const data = await scope.project(event);
          if (data) await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(data) });
          last = event.id;
        }
        // A full batch, or an announcement that came while reading: read again before waiting.
        if (batch.length === BATCH || closed || announced > mark) continue;
        const woke = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), heartbeatMs);
          wake = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        // A quiet feed still reads now and then: a note lost on the bus delays an event, never loses it.
        if (!woke && !closed) await stream.write(': keep-alive\n\n');
      }
    } finally {
      closed = true;
      unsubscribe();
    }
  });
}
