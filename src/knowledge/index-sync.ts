import type { Module, Platform } from '../platform/module.js';
import type { KnowledgeBase } from './knowledge-base.js';

/** Written to the outbox when a process has changed the index (chunks, IDF, intent model). */
export const INDEX_CHANGED = 'knowledge.indexed';

const POLL_MS = 30_000;

/**
 * Keeps every process's in-memory retrieval index in step with the database: this process's
 * index changes are announced through the outbox, and the others' (and article changes) are
 * heard on the live bus, which marks the index stale; the database answers until it is rebuilt.
 * With several processes a poll of the outbox covers a note the bus lost.
 */
export function knowledgeIndexSync(platform: Platform, kb: KnowledgeBase): Module {
  const { events, bus, db, log } = platform;
  const stops: (() => void)[] = [];
  const follows = (type: string) => type === INDEX_CHANGED || type.startsWith('article.');
  let seen = 0;
  return {
    name: 'knowledge-index',
    async start() {
      stops.push(
        kb.onIndexChange(() => {
          void events
            .transaction((_tx, emit) => emit({ type: INDEX_CHANGED, data: {} }))
            .catch((err) => log.warn({ err }, 'could not announce the index change'));
        }),
        bus.subscribe((note) => {
          if (note.kind !== 'events') return;
          seen = Math.max(seen, note.upTo);
          if (!note.types || note.types.some(follows)) kb.indexChanged();
        }),
      );
      if (bus.kind === 'redis') {
        const latest = await db.query<{ id: number | null }>('SELECT max(id)::int AS id FROM events');
        seen = Math.max(seen, latest[0]?.id ?? 0);
        const timer = setInterval(() => {
          void (async () => {
            const rows = await db.query<{ id: number; type: string }>(
              `SELECT id::int AS id, type FROM events WHERE id > $1 AND (type = $2 OR type LIKE 'article.%')
               ORDER BY id DESC LIMIT 1`,
              [seen, INDEX_CHANGED],
            );
            const last = await db.query<{ id: number | null }>('SELECT max(id)::int AS id FROM events');
            seen = Math.max(seen, last[0]?.id ?? 0);
            if (rows.length) kb.indexChanged();
          })().catch((err) => log.warn({ err }, 'index poll'));
        }, POLL_MS);
        timer.unref();
        stops.push(() => clearInterval(timer));
      }
      // Built at start, in the background: the first turns are answered from the database.
      void kb.ready().catch((err) => log.warn({ err }, 'the in-memory index could not be built'));
    },
    async stop() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
