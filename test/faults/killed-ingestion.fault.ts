/**
 * A process killed (SIGKILL) while it loads the knowledge-base folder on its first start, then
 * started again: the second start loads what the first did not, each article once. Run on the
 * real services (PostgreSQL + Redis) and on the embedded default (PGlite, whose data folder the
 * killed process leaves locked). Reports lost and duplicated articles (0) and the recovery time,
 * from the second start to /readyz saying the knowledge base is loaded.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/platform/db/pglite.js';
import { freePort, startProcess, stopProcess, stopStartedProcesses, waitForHttp } from '../helpers/process.js';
import { eventually, report } from './deps.js';
import { type PrivatePostgres, type PrivateRedis, privatePostgres, privateRedis } from './services.js';

const COPIES = 3;
let root: string;
let kb: string;
let total = 0;
let pg: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sanad-killed-'));
  kb = join(root, 'kb');
  // The sample five times over under other ids: a load long enough to be cut in the middle.
  for (let copy = 0; copy < COPIES; copy++) {
    for (const lang of ['ar', 'en']) {
      mkdirSync(join(kb, `${lang}-${copy}`), { recursive: true });
      for (const f of readdirSync(join('knowledge-base', lang))) {
        const text = readFileSync(join('knowledge-base', lang, f), 'utf8').replace(/^id: (.*)$/m, `id: $1-c${copy}`);
        writeFileSync(join(kb, `${lang}-${copy}`, f), text);
        total++;
      }
    }
  }
  pg = await privatePostgres();
  redis = await privateRedis();
});
afterEach(() => stopStartedProcesses(), 60_000);
afterAll(async () => {
  await redis?.stop();
  await pg?.remove();
  rmSync(root, { recursive: true, force: true });
});

function timeout(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms).unref();
  });
}

async function killedThenRestarted(
  env: Record<string, string>,
  count: () => Promise<{ articles: number; versions: number }>,
) {
  const port = await freePort();
  const base = {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    KNOWLEDGE_BASE_DIR: kb,
    LOG_LEVEL: 'warn',
    EMBEDDER: 'local',
  };
  const first = startProcess(base);
  // Killed the moment the first article is saved, not at the next poll: on PostgreSQL the whole
  // saving phase can end between two polls, and then nothing would be cut in the middle.
  const underWay = new Promise<void>((resolve) => {
    const look = () => {
      if (!/saving articles: \d+/.test(first.output())) return;
      first.child.kill('SIGKILL');
      resolve();
    };
    first.child.stdout?.on('data', look);
    first.child.stderr?.on('data', look);
  });
  const ended = first.exited.then(() => {
    throw new Error(`the first start exited before saving anything:\n${first.output().slice(-2000)}`);
  });
  await Promise.race([underWay, ended, timeout(300_000, 'the load to be under way')]);
  await first.exited;
  // On PGlite, opening the killed process's folder here would do the crash recovery the second
  // start is meant to do; only the server database is counted between the two.
  const before = env.DATABASE_URL ? (await count()).articles : '(not counted)';
  const restarted = Date.now();
  const second = startProcess(base);
  await waitForHttp(`http://127.0.0.1:${port}/livez`, 300_000, second);
  await eventually(
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      const body = (await res.json()) as { status: string };
      return body.status === 'ready';
    },
    'the knowledge base loaded after the restart',
    300_000,
  );
  const recovery = (Date.now() - restarted) / 1000;
  await stopProcess(second);
  const { articles, versions } = await count();
  return {
    total,
    'saved before the kill': before,
    lost: total - articles,
    duplicated: versions - articles,
    'recovery s': recovery.toFixed(1),
  };
}

describe('faults: a process killed while loading the knowledge base', () => {
  it('on PostgreSQL + Redis, the next start loads the rest, each article once', async () => {
    const name = `sanad_killed_${Date.now()}`;
    const admin = postgres((pg as PrivatePostgres).url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = (pg as PrivatePostgres).url.replace(/\/postgres$/, `/${name}`);
    const figures = await killedThenRestarted(
      { DATABASE_URL: url, REDIS_URL: (redis as PrivateRedis).url },
      async () => {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        try {
          const [row] = await sql<{ articles: number; versions: number }[]>`
          SELECT (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM article_versions) AS versions`;
          return row as { articles: number; versions: number };
        } finally {
          await sql.end();
        }
      },
    );
    report('killed mid-ingestion (postgres + redis)', figures);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
  });

  it('on the embedded default, the next start takes over the stale lock and loads the rest, each article once', async () => {
    const dataDir = join(root, 'data');
    const figures = await killedThenRestarted({ DATA_DIR: dataDir }, async () => {
      const db = await openPglite(join(dataDir, 'pglite'));
      try {
        const [row] = await db.query<{ articles: number; versions: number }>(
          'SELECT (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM article_versions) AS versions',
        );
        return row as { articles: number; versions: number };
      } finally {
        await db.close();
      }
    });
    report('killed mid-ingestion (embedded)', figures);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
  });
});
