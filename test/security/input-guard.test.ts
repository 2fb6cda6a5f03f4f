import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/platform/http/errors.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';
import { capturedLogger } from '../helpers/log-capture.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;
const logs = capturedLogger();

beforeAll(async () => {
  deps = await testDeps({ log: logs.log });
  app = deps.service.app();
  keys = await keysByRole(deps.db);
});
afterAll(async () => deps.close());

async function problem(res: Response, status: number, type: string, field?: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as { type: string; detail: string; errors?: { path: string }[] };
  expect(body.type).toBe(`/problems/${type}`);
  if (field) expect(body.errors?.map((e) => e.path)).toContain(field);
  return body;
}

const count = async (sql: string, params: unknown[] = []) =>
  ((await deps.db.query<{ n: number }>(sql, params))[0] as { n: number }).n;

describe('errors never log statements or their parameters', () => {
  it('a failed insert with a password hash logs neither the hash nor the statement', async () => {
    // A statement Postgres refuses (NUL in text) carrying a hash, as createStaff's did.
    const hash = 'scrypt$32768$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
    const error = await deps.db
      .query('INSERT INTO staff (email, name, role, password_hash) VALUES ($1, $2, $3, $4)', [
        'x@example.com',
        'bad\u0000name',
        'agent',
        hash,
      ])
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const before = logs.text().length;
    const { Hono } = await import('hono');
    const probe = new Hono();
    probe.onError(errorHandler(logs.log));
    probe.get('/boom', () => {
      throw Object.assign(new Error('boom'), { code: 'XX000', params: [hash], query: 'INSERT INTO staff …' });
    });
    expect((await probe.request('/boom')).status).toBe(500);
    logs.log.error({ err: error }, 'direct');
    const written = logs.text().slice(before);
    expect(written).toContain('boom');
    expect(written).not.toContain(hash);
    expect(written).not.toContain('INSERT INTO staff');
    expect(written).not.toContain('bad');
  });

  it('POST /v1/staff with a NUL in the name is a 400 naming it, creates nothing and logs no hash', async () => {
    const before = await count('SELECT count(*)::int AS n FROM staff');
    const res = await call(app, 'POST', '/v1/staff', {
      key: keys.admin,
      body: { email: 'nul@example.com', name: 'Nu\u0000ra', role: 'agent', password: 'a long and unusual pass phrase' },
    });
    await problem(res, 400, 'invalid-text', 'name');
    expect(await count('SELECT count(*)::int AS n FROM staff')).toBe(before);
    expect(logs.text()).not.toMatch(/scrypt\$/);
  });
});

describe('NUL, broken UTF-8 and numbers past 32 bits are 400 problems naming the field', () => {
  it('in bodies, nested fields, arrays and keys', async () => {
    const open = (body: unknown) => call(app, 'POST', '/v1/conversations', { key: keys.agent, body });
    await problem(await open({ contact: { externalId: 'a\u0000b' } }), 400, 'invalid-text', 'contact.externalId');
    await problem(await open({ contact: { externalId: 'ok', name: 'x\u0000' } }), 400, 'invalid-text', 'contact.name');
    await problem(
      await call(app, 'POST', '/v1/conversations', {
        key: keys.agent,
        body: '{"contact":{"externalId":"\\ud800"}}',
      }),
      400,
      'invalid-text',
      'contact.externalId',
    );
    const tags = await call(app, 'POST', '/v1/articles', {
      key: keys.editor,
      body: { id: 'nul-tag', title: 'T', lang: 'en', tags: ['ok', 'b\u0000d'], questions: [], body: 'Body' },
    });
    await problem(tags, 400, 'invalid-text', 'tags.1');
  });

  it('bytes that are not UTF-8 are refused, not replaced', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"contact":{"externalId":"'),
      0xff,
      0xfe,
      0x22,
      0x7d,
      0x7d,
    ]);
    const res = await app.request('/v1/conversations', {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.agent}`, 'content-type': 'application/json' },
      body: bytes,
    });
    await problem(res, 400, 'invalid-text', '(body)');
    expect(await count("SELECT count(*)::int AS n FROM contacts WHERE external_id LIKE '%\uFFFD%'")).toBe(0);
  });

  it('in messages and channel message ids, nothing stored', async () => {
    const opened = await call(app, 'POST', '/v1/conversations', {
      key: keys.agent,
      body: { contact: { externalId: 'g1' } },
    });
    const { conversation } = (await opened.json()) as { conversation: { id: string } };
    const post = (body: unknown) =>
      call(app, 'POST', `/v1/conversations/${conversation.id}/messages`, { key: keys.agent, body });
    await problem(await post({ text: 'hi', channelMessageId: 'm\u0000' }), 400, 'invalid-text', 'channelMessageId');
    await problem(await post({ text: 'مرحبا\u0000' }), 400, 'invalid-text', 'text');
    expect(await count('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [conversation.id])).toBe(
      0,
    );
  });

  it('in path parameters and queries', async () => {
    await problem(await call(app, 'GET', '/v1/conversations/%00', { key: keys.agent }), 400, 'invalid-text', 'id');
    await problem(await call(app, 'GET', '/v1/articles/a%00b', { key: keys.editor }), 400, 'invalid-text', 'id');
    await problem(await call(app, 'GET', '/v1/articles?tag=%00', { key: keys.editor }), 400, 'invalid-text', 'tag');
    const far = await call(app, 'GET', '/v1/articles/x/versions/2147483648', { key: keys.editor });
    await problem(far, 400, 'validation-failed', 'version');
    await problem(
      await call(app, 'GET', '/v1/articles?offset=99999999999', { key: keys.editor }),
      400,
      'validation-failed',
      'offset',
    );
  });

  it('integers past 32 bits in bodies', async () => {
    const res = await call(app, 'POST', '/v1/search', { key: keys.editor, body: { query: 'refund', limit: 2 ** 31 } });
    await problem(res, 400, 'validation-failed', 'limit');
  });

  it('an unauthenticated caller still gets 401 first', async () => {
    expect((await call(app, 'GET', '/v1/conversations/%00')).status).toBe(401);
  });
});
