import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Db, Queryable } from './db.js';

const YIELD_AFTER_MS = 20;

// Postgres's default buffer pool (128 MB) is sized for a server beside other processes' caches;
// PGlite allocates it inside its WebAssembly memory, which is never given back. Its pages are
// still cached below it (the OS's page cache for a data folder, the in-memory file system for a
// throw-away database), and retrieval reads the in-memory index, not the buffer pool.
const SHARED_BUFFERS = '16MB';
let heldSince = performance.now();

/**
 * Opens PGlite with pgvector; `dataDir` undefined means in memory (tests, eval). `loadDataDir`
 * starts it from a snapshot (`dump()`), which skips PGlite's initdb, the slow part of a first open.
 */
export async function openPglite(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<Db> {
  const pg = await PGlite.create({
    dataDir: dataDir ?? 'memory://',
    extensions: { vector },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  await pg.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query<T extends object>(text: string, params: unknown[] = []) {
      // PGlite runs a statement synchronously and settles it as a microtask: a turn's statements
      // would run back to back without the event loop ever reading new requests, so nothing
      // (admission control, /readyz, the live feed) could act while a turn runs. Yield when the
      // loop has been held for a while (every statement would slow busy turns for nothing).
      if (performance.now() - heldSince > YIELD_AFTER_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        heldSince = performance.now();
      }
      const res = await q.query<T>(text, params as unknown[]);
      return res.rows;
    },
  });
  const base = wrap(pg);
  return {
    kind: 'pglite',
    query: base.query,
    async exec(text) {
      await pg.exec(text);
    },
    transaction(fn) {
      return pg.transaction((tx) => fn(wrap(tx)));
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
    dump: () => pg.dumpDataDir('gzip') as Promise<Blob>,
  };
}
