import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashText } from '../../src/knowledge/chunk.js';
import { ensureEmbeddings } from '../../src/knowledge/embedding-store.js';
import { knowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { OpenAIEmbedder } from '../../src/knowledge/openai-embedder.js';
import type { Db } from '../../src/platform/db/db.js';
import { testDatabase } from '../helpers/backends.js';

interface EmbeddingRequest {
  url: string;
  auth: string | null;
  model: string;
  input: string | string[];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
}

/** A deterministic fake vector per text, exactly representable as float32. */
function fakeVector(text: string, dims: number): number[] {
  const seed = [...text].reduce((h, ch) => (h * 31 + (ch.codePointAt(0) ?? 0)) % 997, 7);
  return Array.from({ length: dims }, (_, i) => ((seed + i * 13) % 101) / 128 - 0.25);
}

const requests: EmbeddingRequest[] = [];
let mode: 'ok' | 'fail' | 'floats-only' | 'shuffled' | 'wrong-dims' = 'ok';

function embeddingsHandler(url: string) {
  return http.post(url, async ({ request }) => {
    const body = (await request.json()) as Omit<EmbeddingRequest, 'url' | 'auth'>;
    requests.push({ ...body, url: request.url, auth: request.headers.get('authorization') });
    if (mode === 'fail') {
      return HttpResponse.json(
        { error: { message: 'The server had an error', type: 'server_error', code: null, param: null } },
        { status: 500 },
      );
    }
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const dims = mode === 'wrong-dims' ? 3 : (body.dimensions ?? 1536);
    // Honour encoding_format as OpenAI does; a 'floats-only' server ignores it (older compatible servers).
    const base64 = body.encoding_format === 'base64' && mode !== 'floats-only';
    const data = inputs.map((text, index) => {
      const v = fakeVector(text, dims);
      return {
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
      };
    });
    if (mode === 'shuffled') data.reverse();
    return HttpResponse.json({
      object: 'list',
      data,
      model: body.model,
      usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
    });
  });
}

const server = setupServer(
  embeddingsHandler('https://api.openai.com/v1/embeddings'),
  embeddingsHandler('http://vllm.internal:8000/v1/embeddings'),
);

let db: Db;
const temps: string[] = [];

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  db = await testDatabase();
});
afterEach(() => {
  requests.length = 0;
  mode = 'ok';
});
afterAll(async () => {
  server.close();
  await db.close();
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

const embedder = (options: Partial<ConstructorParameters<typeof OpenAIEmbedder>[0]> = {}) =>
  new OpenAIEmbedder({ apiKey: 'sk-test', model: 'text-embedding-3-small', maxRetries: 0, ...options });

describe('OpenAI embedder', () => {
  it('sends the model, the requested dimensions and the key; decodes base64 float32 vectors', async () => {
    const e = embedder({ dimensions: 256 });
    expect(e.model).toBe('openai:text-embedding-3-small@256');
    expect(e.dims).toBe(256);
    const vectors = await e.embedDocuments(['وين طلبي؟', 'where is my order?']);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: 'https://api.openai.com/v1/embeddings',
      auth: 'Bearer sk-test',
      model: 'text-embedding-3-small',
      input: ['وين طلبي؟', 'where is my order?'],
      dimensions: 256,
      encoding_format: 'base64',
    });
    expect(vectors).toEqual([fakeVector('وين طلبي؟', 256), fakeVector('where is my order?', 256)]);
    expect(await e.embedQuery('where is my order?')).toEqual(fakeVector('where is my order?', 256));
  });

  it('uses the native size when no dimensions are set, and refuses sizes HNSW cannot index', async () => {
    const e = embedder();
    expect(e.dims).toBe(1536);
    const [v] = await e.embedDocuments(['hello']);
    expect(v).toHaveLength(1536);
    expect(requests[0]!.dimensions).toBeUndefined();
    expect(() => embedder({ model: 'text-embedding-3-large' })).toThrow(/at most 2000/);
    expect(embedder({ model: 'text-embedding-3-large', dimensions: 1024 }).model).toBe(
      'openai:text-embedding-3-large@1024',
    );
  });

  it('works with an OpenAI-compatible server that ignores encoding_format and sends floats', async () => {
    mode = 'floats-only';
    const e = embedder({ baseURL: 'http://vllm.internal:8000/v1', model: 'bge-m3', dimensions: 64 });
    const vectors = await e.embedDocuments(['a', 'b']);
    expect(requests[0]!.url).toBe('http://vllm.internal:8000/v1/embeddings');
    expect(vectors).toEqual([fakeVector('a', 64), fakeVector('b', 64)]);
  });

  it('batches 100 texts per request and keeps the order of the texts', async () => {
    mode = 'shuffled';
    const e = embedder({ dimensions: 8 });
    const texts = Array.from({ length: 250 }, (_, i) => `text number ${i}`);
    const vectors = await e.embedDocuments(texts);
    expect(requests.map((r) => (r.input as string[]).length)).toEqual([100, 100, 50]);
    expect(requests.flatMap((r) => r.input)).toEqual(texts);
    expect(vectors).toEqual(texts.map((t) => fakeVector(t, 8)));
  });

  it('surfaces a server error (500) and a wrong vector size', async () => {
    mode = 'fail';
    await expect(embedder({ dimensions: 8 }).embedDocuments(['x'])).rejects.toMatchObject({ status: 500 });
    expect(requests).toHaveLength(1);
    mode = 'wrong-dims';
    await expect(embedder({ dimensions: 8 }).embedDocuments(['x'])).rejects.toThrow(/returned 3 dimensions/);
  });
});

describe('embedding cache', () => {
  it('ensureEmbeddings calls the API only for hashes it does not have yet', async () => {
    const e = embedder({ dimensions: 16 });
    const item = (text: string) => ({ hash: hashText(text), text });
    const first = [item('alpha'), item('beta'), item('gamma'), item('alpha')];
    expect(await ensureEmbeddings(db, e, first)).toBe(3);
    expect(requests.map((r) => r.input)).toEqual([['alpha', 'beta', 'gamma']]);

    requests.length = 0;
    expect(await ensureEmbeddings(db, e, [item('beta'), item('delta'), item('alpha')])).toBe(1);
    expect(requests.map((r) => r.input)).toEqual([['delta']]);

    requests.length = 0;
    expect(await ensureEmbeddings(db, e, [item('gamma'), item('delta')])).toBe(0);
    expect(requests).toEqual([]);

    const stored = await db.query<{ model: string; dims: number; embedding: string }>(
      'SELECT model, dims, embedding::text AS embedding FROM embeddings WHERE content_hash = $1',
      [hashText('delta')],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ model: 'openai:text-embedding-3-small@16', dims: 16 });
    const back = stored[0]!.embedding.slice(1, -1).split(',').map(Number);
    // Stored with 6 significant digits (toVectorLiteral).
    const expected = fakeVector('delta', 16);
    expect(back).toHaveLength(16);
    for (const [i, x] of back.entries()) expect(x).toBeCloseTo(expected[i]!, 5);

    // Another model's vectors are separate: the same texts are embedded again for it.
    requests.length = 0;
    expect(await ensureEmbeddings(db, embedder({ dimensions: 32 }), [item('alpha')])).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('an import with the model down fails each published file whole and saves nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sanad-kb-openai-'));
    temps.push(dir);
    await writeFile(join(dir, 'a.md'), '---\ntitle: Model down\nlang: en\n---\nThe model is down.');
    await writeFile(join(dir, 'b.md'), '---\ntitle: A draft\nlang: en\nstatus: draft\n---\nDrafts need no model.');
    mode = 'fail';
    const kb = knowledgeBase(db, embedder({ dimensions: 16 }));
    const report = await kb.importFolder(dir);
    expect(report.failed).toEqual([{ file: 'a.md', field: '(embedding)', reason: expect.stringContaining('500') }]);
    expect(report.created).toEqual(['b']);
    expect(await db.query("SELECT 1 FROM articles WHERE id = 'a'")).toEqual([]);
    expect(await db.query("SELECT 1 FROM article_versions WHERE article_id = 'a'")).toEqual([]);

    mode = 'ok';
    const retry = await kb.importFolder(dir);
    expect(retry.failed).toEqual([]);
    expect(retry.created).toEqual(['a']);
    expect(retry.unchanged).toEqual(['b']);
    expect(retry.embedded).toBeGreaterThan(0);
    const { articles } = await (await kb.retriever()).retrieve('is the model down?');
    expect(articles[0]?.articleId).toBe('a');
  });
});
