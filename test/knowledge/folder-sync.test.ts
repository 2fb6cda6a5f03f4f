/**
 * A first start with the embedding endpoint down used to load 2 of 58 articles, report ready,
 * answer every message with 500, and never load the rest (loading happened only into an empty
 * database). Now: loading is per article and resumed, by a retry while the process runs and at
 * the next start; /readyz says what is missing; customers get hand-offs (or answers) meanwhile.
 * The OpenAI-compatible endpoint is played by msw: embeddings fail after the first batch, then
 * recover.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../../src/modules.js';
import { compose } from '../../src/platform/compose.js';
import type { Db } from '../../src/platform/db/db.js';
import { silentLog, testConfig, testDatabase } from '../helpers/backends.js';
import { call, keysByRole } from '../helpers/http.js';
import { eventually } from '../helpers/whatsapp.js';

const BASE = 'http://provider.test/v1';
const DIMS = 32;
const SAMPLE = 58;

let embeddingsUp = true;
/** Embedding requests to answer before the endpoint goes down (when `embeddingsUp` is false). */
let allowance = 0;
let embeddingCalls = 0;

function fakeVector(text: string): number[] {
  const seed = [...text].reduce((h, ch) => (h * 31 + (ch.codePointAt(0) ?? 0)) % 997, 7);
  return Array.from({ length: DIMS }, (_, i) => ((seed + i * 13) % 101) / 128 - 0.25);
}

const server = setupServer(
  http.post(`${BASE}/embeddings`, async ({ request }) => {
    embeddingCalls++;
    if (!embeddingsUp && allowance-- <= 0) {
      return HttpResponse.json({ error: { message: 'upstream unavailable', type: 'server_error' } }, { status: 503 });
    }
    const body = (await request.json()) as { input: string[] };
    return HttpResponse.json({
      object: 'list',
      model: 'text-embedding-3-small',
      data: body.input.map((t, index) => ({ object: 'embedding', index, embedding: fakeVector(t) })),
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  }),
  // The chat model is down throughout: the bot falls back or hands off, never fails.
  http.post(`${BASE}/chat/completions`, () =>
    HttpResponse.json({ error: { message: 'upstream unavailable', type: 'server_error' } }, { status: 503 }),
  ),
);

const config = testConfig({
  EMBEDDER: 'openai',
  OPENAI_BASE_URL: BASE,
  OPENAI_API_KEY: 'sk-test',
  EMBEDDING_DIMENSIONS: String(DIMS),
  LLM_MAX_RETRIES: '0',
  LLM_TIMEOUT_MS: '5000',
  KB_LOAD_RETRY_MS: '300',
  LOAD_SAMPLE_KB: 'true',
});

async function start(db: Db) {
  const service = await compose(config, silentLog, buildService({ print: () => {} }), {
    db,
    prefix: `sanad-test-sync-${Math.random().toString(36).slice(2)}`,
  });
  await service.start();
  return service;
}

type Service = Awaited<ReturnType<typeof start>>;

async function readyz(service: Service) {
  const res = await service.app().request('/readyz');
  return {
    status: res.status,
    body: (await res.json()) as {
      status: string;
      checks: { knowledge: { ok: boolean; state: string; loaded: number; total: number; missing: string[] } };
    },
  };
}

const count = async (db: Db, sql: string) => (await db.query<{ n: number }>(sql))[0]?.n ?? 0;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  embeddingsUp = true;
  allowance = 0;
});
afterAll(() => server.close());

describe('loading the knowledge-base folder with the embedding endpoint failing', () => {
  it('loads what it can, says what is missing, hands customers off meanwhile, and finishes once the endpoint is back', async () => {
    const db = await testDatabase();
    let service: Service | undefined;
    try {
      embeddingsUp = false;
      allowance = 1;
      service = await start(db);
      const loadedFirst = await count(db, 'SELECT count(*)::int AS n FROM articles');
      expect(loadedFirst).toBeGreaterThan(0);
      expect(loadedFirst).toBeLessThan(SAMPLE);

      const degraded = await readyz(service);
      expect(degraded.status).toBe(200);
      expect(degraded.body.status).toBe('degraded');
      expect(degraded.body.checks.knowledge).toMatchObject({ ok: false, total: SAMPLE });
      // 'loading' when a retry round happens to be running as it is asked.
      expect(degraded.body.checks.knowledge.state).toMatch(/^(incomplete|loading)$/);
      expect(degraded.body.checks.knowledge.loaded).toBe(loadedFirst);
      expect(degraded.body.checks.knowledge.missing.length).toBeGreaterThan(0);

      // Customers meanwhile: a stored message and a hand-off (or an answer), never a 500.
      const keys = await keysByRole(db);
      const app = service.app();
      for (const text of ['متى يرجع لي المبلغ اذا رجعت الطلب؟', 'How long does delivery take?']) {
        const opened = await call(app, 'POST', '/v1/conversations', {
          key: keys.agent,
          body: { contact: { externalId: `c-${Math.random()}` }, lang: 'ar' },
        });
        expect(opened.status).toBe(201);
        const { conversation } = (await opened.json()) as { conversation: { id: string } };
        const res = await call(app, 'POST', `/v1/conversations/${conversation.id}/messages`, {
          key: keys.agent,
          body: { text },
        });
        expect(res.status).toBe(201);
        const body = (await res.json()) as { reply: unknown; handoff: unknown };
        expect(body.reply !== null || body.handoff !== null).toBe(true);
      }

      // Still down: the retry finds the same gap and stays degraded, asking the endpoint again.
      const calls = embeddingCalls;
      await eventually(async () => embeddingCalls > calls, 'a retry', 30_000);
      expect((await readyz(service)).body.status).toBe('degraded');

      embeddingsUp = true;
      await eventually(async () => (await readyz(service as Service)).body.status === 'ready', 'ready', 60_000);
      const ready = await readyz(service);
      expect(ready.body.checks.knowledge).toMatchObject({ ok: true, state: 'loaded', loaded: SAMPLE, missing: [] });
      expect(await count(db, 'SELECT count(*)::int AS n FROM articles')).toBe(SAMPLE);
      // Once each: no article saved twice on the way.
      expect(await count(db, 'SELECT count(*)::int AS n FROM article_versions')).toBe(SAMPLE);
      expect(
        await count(
          db,
          `SELECT count(*)::int AS n FROM chunks c WHERE NOT EXISTS
             (SELECT 1 FROM embeddings e WHERE e.content_hash = c.content_hash)`,
        ),
      ).toBe(0);
    } finally {
      await service?.close();
      await db.close();
    }
  }, 240_000);

  it('a restart loads what the last start could not, and a third start loads nothing', async () => {
    const db = await testDatabase();
    try {
      embeddingsUp = false;
      allowance = 1;
      const first = await start(db);
      await first.close();
      const partial = await count(db, 'SELECT count(*)::int AS n FROM articles');
      expect(partial).toBeLessThan(SAMPLE);

      embeddingsUp = true;
      const second = await start(db);
      expect((await readyz(second)).body.status).toBe('ready');
      await second.close();
      expect(await count(db, 'SELECT count(*)::int AS n FROM articles')).toBe(SAMPLE);
      expect(await count(db, 'SELECT count(*)::int AS n FROM article_versions')).toBe(SAMPLE);

      const calls = embeddingCalls;
      const third = await start(db);
      expect((await readyz(third)).body.status).toBe('ready');
      await third.close();
      expect(embeddingCalls).toBe(calls);
      expect(await count(db, 'SELECT count(*)::int AS n FROM article_versions')).toBe(SAMPLE);
    } finally {
      await db.close();
    }
  }, 240_000);

  it("keeps an editor's change while its file is unchanged, and loads a file changed on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanad-kb-'));
    mkdirSync(join(dir, 'en'));
    for (const f of ['account-login-otp.md', 'cancel-order.md']) {
      copyFileSync(join('knowledge-base/en', f), join(dir, 'en', f));
    }
    const local = testConfig({ KNOWLEDGE_BASE_DIR: dir, LOAD_SAMPLE_KB: 'true' });
    const db = await testDatabase();
    const run = async () => {
      const s = await compose(local, silentLog, buildService({ print: () => {} }), { db, prefix: 'sanad-test-sync' });
      await s.start();
      return s;
    };
    const title = async (id: string) =>
      (
        await db.query<{ title: string; version: number }>('SELECT title, version FROM articles WHERE id = $1', [id])
      )[0];
    try {
      const first = await run();
      const edited = await first.kb.article('account-login-otp-en');
      await first.kb.save(
        { ...(edited as NonNullable<typeof edited>), title: 'Signing in (edited)' },
        { by: 'editor' },
      );
      await first.close();

      const second = await run();
      await second.close();
      expect(await title('account-login-otp-en')).toEqual({ title: 'Signing in (edited)', version: 2 });

      const file = join(dir, 'en', 'cancel-order.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Cancelling an order (new)'));
      const third = await run();
      await third.close();
      expect(await title('cancel-order-en')).toEqual({ title: 'Cancelling an order (new)', version: 2 });
      expect(await title('account-login-otp-en')).toEqual({ title: 'Signing in (edited)', version: 2 });
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
