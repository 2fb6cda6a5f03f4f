import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { percentile } from '../eval/cases.js';
import type { Queryable } from '../platform/db/db.js';
import { closedLoop } from './closed-loop.js';
import { round, since } from './stats.js';

export interface HttpLevel {
  concurrency: number;
  requests: number;
  errors: number;
  first_error?: string;
  per_s: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  /** CPU of this process per request (the server and, in one process, the client too), ms. */
  cpu_ms?: number;
  /** CPU of the database's server processes per request, ms (Postgres on this machine only). */
  db_cpu_ms?: number;
}

export interface HttpTurns {
  /** POST /v1/conversations/{id}/messages: the whole turn (store, retrieve, decide, reply, events). */
  turns: HttpLevel[];
  /** A route that only answers "ok", through the same server and middleware: the ceiling. */
  trivial: HttpLevel[];
}

/** The app served on a loopback port; the trivial route is added before the first request. */
export async function serveLoopback(app: Hono<never>): Promise<{ base: string; close(): Promise<void> }> {
  app.get('/bench/ping', (c) => c.text('ok'));
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function level(
  concurrency: number,
  seconds: number,
  maxRequests: number,
  one: (i: number) => Promise<{ ms: number } | undefined>,
  dbCpu?: () => Promise<number | undefined>,
): Promise<HttpLevel> {
  const cpu = process.cpuUsage();
  const db0 = await dbCpu?.();
  const run = await closedLoop(concurrency, seconds, maxRequests, async (i) => (await one(i))?.ms);
  const used = process.cpuUsage(cpu);
  const db1 = await dbCpu?.();
  const n = Math.max(1, run.latencies.length);
  const { latencies, errors, firstError } = run;
  const elapsed = run.seconds;
  return {
    concurrency,
    requests: latencies.length,
    errors,
    ...(firstError ? { first_error: firstError } : {}),
    per_s: round(latencies.length / elapsed, 1),
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
    cpu_ms: round((used.user + used.system) / 1000 / n, 2),
    ...(db0 !== undefined && db1 !== undefined ? { db_cpu_ms: round((db1 - db0) / n, 2) } : {}),
  };
}

/**
 * CPU time (ms) the Postgres backends serving `db`'s database have used so far, read from /proc:
 * only when the server runs on this machine (Linux); undefined otherwise.
 */
export function postgresCpu(db: { query: Queryable['query'] }): () => Promise<number | undefined> {
  return async () => {
    try {
      const rows = await db.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
      );
      let ticks = 0;
      for (const { pid } of rows) {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        ticks += Number(fields[11]) + Number(fields[12]);
      }
      // utime and stime are in clock ticks, 100 a second on Linux.
      return Number.isFinite(ticks) ? ticks * 10 : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * Customers writing at once through the REST API on loopback, each turn in a new
 * conversation (opened first, not timed); then the trivial route at the same concurrency.
 * Several bases (API processes on one database) share the load, each turn on the next one.
 * Turns/s counts the timed turns over the wall time, conversation opening included.
 */
export async function httpTurns(
  base: string | string[],
  key: string,
  questions: string[],
  options: {
    concurrencies: number[];
    seconds: number;
    maxTurns: number;
    label: string;
    dbCpu?: () => Promise<number | undefined>;
  },
): Promise<HttpTurns> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const bases = typeof base === 'string' ? [base] : base;
  const post = async (at: string, path: string, body: unknown) => {
    const res = await fetch(`${at}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
    return json;
  };
  const turns: HttpLevel[] = [];
  const trivial: HttpLevel[] = [];
  for (const concurrency of options.concurrencies) {
    turns.push(
      await level(
        concurrency,
        options.seconds,
        options.maxTurns,
        async (i) => {
          const at = bases[i % bases.length] as string;
          const opened = (await post(at, '/v1/conversations', {
            contact: { externalId: `${options.label}-c${concurrency}-${i}` },
          })) as { conversation: { id: string } };
          const t = performance.now();
          await post(at, `/v1/conversations/${opened.conversation.id}/messages`, {
            text: questions[i % questions.length],
          });
          return { ms: since(t) };
        },
        options.dbCpu,
      ),
    );
    trivial.push(
      await level(concurrency, Math.min(2, options.seconds / 2), 50_000, async (i) => {
        const t = performance.now();
        const res = await fetch(`${bases[i % bases.length]}/bench/ping`);
        await res.text();
        if (!res.ok) throw new Error(`ping: ${res.status}`);
        return { ms: since(t) };
      }),
    );
  }
  return { turns, trivial };
}
