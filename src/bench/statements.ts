import type { Db, Queryable } from '../platform/db/db.js';

export interface StatementTiming {
  /** The statement's text, whitespace folded, cut at 100 characters. */
  statement: string;
  /** How many times a turn runs it, on average. */
  per_turn: number;
  /** Its time a turn, ms: the call's wall time, so at one turn at a time its cost. */
  ms_per_turn: number;
}

/**
 * The database with every statement timed, by its text, while recording: what a turn asks of
 * the database and what each statement costs (`bench -- --statements`, read at one turn at a
 * time: with turns at once a call's time includes its wait for the connection).
 */
export function statementTimer(db: Db): {
  db: Db;
  record(on: boolean): void;
  report(turns: number): StatementTiming[];
} {
  const stats = new Map<string, { n: number; ms: number }>();
  let recording = false;
  const timed =
    (q: Queryable): Queryable['query'] =>
    async (text, params) => {
      const t = performance.now();
      try {
        return await q.query(text, params);
      } finally {
        if (recording) {
          const key = text.replace(/\s+/g, ' ').trim().slice(0, 100);
          const s = stats.get(key) ?? { n: 0, ms: 0 };
          s.n++;
          s.ms += performance.now() - t;
          stats.set(key, s);
        }
      }
    };
  const wrapped: Db = {
    kind: db.kind,
    query: timed(db) as Db['query'],
    exec: (text) => db.exec(text),
    transaction: (fn) => db.transaction((tx) => fn({ query: timed(tx) as Queryable['query'] })),
    close: () => db.close(),
    ...(db.dump ? { dump: db.dump } : {}),
  };
  return {
    db: wrapped,
    record(on) {
      recording = on;
    },
    report(turns) {
      const n = Math.max(1, turns);
      return [...stats]
        .map(([statement, s]) => ({
          statement,
          per_turn: Math.round((s.n / n) * 100) / 100,
          ms_per_turn: Math.round((s.ms / n) * 100) / 100,
        }))
        .sort((a, b) => b.ms_per_turn - a.ms_per_turn);
    },
  };
}
