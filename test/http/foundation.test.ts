import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/auth/bootstrap.js';
import { countStaff } from '../../src/auth/staff.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;

beforeAll(async () => {
  deps = await testDeps({ config: { BODY_LIMIT_BYTES: '2048' } });
  app = deps.service.app();
  keys = await keysByRole(deps.db);
});
afterAll(async () => deps.close());

/** Every key of a JSON value (objects inside arrays too) that is not camelCase, as paths. */
function snakeKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => snakeKeys(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k.includes('_') ? [`${path}.${k}`] : []),
    ...snakeKeys(v, `${path}.${k}`),
  ]);
}

/** Parses a JSON response, checks its status and that every key is camelCase. */
async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const body = JSON.parse(text) as T;
  expect(snakeKeys(body)).toEqual([]);
  return body;
}

const STAFF_KEYS = ['createdAt', 'email', 'id', 'name', 'role', 'team'];
const API_KEY_KEYS = [
  'createdAt',
  'createdBy',
  'createdByKey',
  'expiresAt',
  'id',
  'lastUsedAt',
  'name',
  'prefix',
  'revokedAt',
  'role',
  'scopes',
];

async function expectProblem(res: Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.type).toBe(`/problems/${type}`);
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(String(body.detail).length).toBeGreaterThan(10);
  return body;
}

describe('health and docs', () => {
  it('reports liveness and readiness with each check', async () => {
    expect((await app.request('/livez')).status).toBe(200);
    const res = await app.request('/readyz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { checks: Record<string, { ok: boolean }> };
    expect(body.checks.database.ok && body.checks.jobs.ok && body.checks.migrations.ok).toBe(true);
  });

  it('answers 503 on /readyz while draining', async () => {
    deps.lifecycle.draining = true;
    try {
      const res = await app.request('/readyz');
      expect(res.status).toBe(503);
      expect(((await res.json()) as { status: string }).status).toBe('draining');
    } finally {
      deps.lifecycle.draining = false;
    }
  });

  it('declares every problem the auth, staff and API-key routes can answer, as problem+json', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const secured = ['400', '401', '403'];
    const expected: Record<string, string[]> = {
      'post /v1/auth/login': ['200', '400', '401', '413', '415', '429'],
      'post /v1/auth/logout': ['204', '400', '401', '413', '415'],
      'get /v1/auth/me': ['200', ...secured],
      'get /v1/staff': ['200', ...secured],
      'post /v1/staff': ['201', ...secured, '409', '413', '415'],
      'get /v1/api-keys': ['200', ...secured],
      'post /v1/api-keys': ['201', ...secured, '413', '415'],
      'delete /v1/api-keys/{id}': ['204', ...secured, '404', '413'],
    };
    for (const [key, statuses] of Object.entries(expected)) {
      const [method, path] = key.split(' ') as [string, string];
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      expect(Object.keys(responses).sort(), key).toEqual([...statuses].sort());
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(responses[status]?.content, `${key} ${status}`).toHaveProperty(['application/problem+json']);
      }
    }
    expect(Object.keys(doc.paths['/v1/articles/{id}']?.get?.responses ?? {})).toContain('404');
  });

  it('publishes OpenAPI 3.1 where every /v1 route declares its roles', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ path, m, op })),
    );
    expect(ops.length).toBeGreaterThan(5);
    for (const { path, m, op } of ops) expect(op['x-roles'], `${m} ${path}`).toBeDefined();
  });

  it('serves request ids, secure headers and Prometheus metrics', async () => {
    const res = await app.request('/livez');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const metrics = await (await call(app, 'GET', '/metrics', { key: keys.admin })).text();
    expect(metrics).toContain('http_requests_total');
  });
});

describe('bad input gets problem+json and changes nothing', () => {
  it('malformed JSON', async () => {
    const res = await call(app, 'POST', '/v1/api-keys', { key: keys.admin, body: '{"name": "x", ' });
    await expectProblem(res, 400, 'malformed-json');
  });

  it('wrong content type', async () => {
    const res = await call(app, 'POST', '/v1/api-keys', {
      key: keys.admin,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectProblem(res, 415, 'unsupported-media-type');
  });

  it('oversized body (413)', async () => {
    const res = await call(app, 'POST', '/v1/api-keys', {
      key: keys.admin,
      body: { name: 'x'.repeat(5000), role: 'agent' },
    });
    await expectProblem(res, 413, 'body-too-large');
  });

  it('unknown fields on writes name the field', async () => {
    const before = await deps.db.query('SELECT id FROM api_keys');
    const res = await call(app, 'POST', '/v1/api-keys', {
      key: keys.admin,
      body: { name: 'x', role: 'agent', colour: 'red' },
    });
    const body = await expectProblem(res, 400, 'validation-failed');
    expect(body.errors).toEqual([{ path: 'colour', message: 'unknown field: remove it' }]);
    expect(await deps.db.query('SELECT id FROM api_keys')).toHaveLength(before.length);
  });

  it('invalid values name the failing field', async () => {
    const res = await call(app, 'POST', '/v1/staff', {
      key: keys.admin,
      body: { email: 'nope', name: 'A', role: 'agent', password: 'short' },
    });
    const body = await expectProblem(res, 400, 'validation-failed');
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['email', 'password']);
  });

  it('missing auth is 401, a revoked key too', async () => {
    await expectProblem(await call(app, 'GET', '/v1/staff'), 401, 'unauthenticated');
    await expectProblem(await call(app, 'GET', '/v1/staff', { key: 'sk_sanad_forged' }), 401, 'invalid-api-key');
  });

  it('unknown routes are problem+json 404', async () => {
    await expectProblem(await app.request('/v1/nothing-here'), 404, 'not-found');
  });
});

describe('roles', () => {
  it('every secured route refuses a role it does not admit with 403 and no data', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { 'x-roles': string[] }>>;
    };
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const denied = (['agent', 'editor', 'supervisor', 'admin'] as const).filter(
          (r) => op['x-roles'].length > 0 && !op['x-roles'].includes(r),
        );
        for (const role of denied) {
          const concrete = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
          const res = await call(app, method.toUpperCase(), concrete, {
            key: keys[role],
            body: ['post', 'put', 'patch'].includes(method) ? {} : undefined,
          });
          const body = await expectProblem(res, 403, 'forbidden');
          expect(Object.keys(body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe('staff accounts', () => {
  it('creates the first admin once, then logs in with a session cookie', async () => {
    const printed: string[] = [];
    const first = await ensureFirstAdmin(deps.db, {}, (t) => printed.push(t));
    expect(first?.generated).toBe(true);
    const password = printed.join('').match(/password: (\S+)/)?.[1] as string;
    expect(await ensureFirstAdmin(deps.db, {}, (t) => printed.push(t))).toBeUndefined();
    expect(printed).toHaveLength(1);

    const bad = await call(app, 'POST', '/v1/auth/login', {
      body: { email: 'admin@sanad.local', password: 'wrong-password' },
    });
    await expectProblem(bad, 401, 'bad-credentials');
    const login = await call(app, 'POST', '/v1/auth/login', { body: { email: 'admin@sanad.local', password } });
    const { staff: admin } = await json<{ staff: Record<string, unknown> }>(login, 200);
    expect(Object.keys(admin).sort()).toEqual(STAFF_KEYS);
    expect(admin).toMatchObject({ email: 'admin@sanad.local', role: 'admin' });
    expect(new Date(admin.createdAt as string).toISOString()).toBe(admin.createdAt);
    const cookie = login.headers.get('set-cookie') as string;
    expect(cookie).toMatch(/sanad_session=.+HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await app.request('/v1/auth/me', { headers: { cookie: cookie.split(';')[0] as string } });
    expect(((await me.json()) as { role: string }).role).toBe('admin');
    const staffBefore = await countStaff(deps.db);
    const created = await app.request('/v1/staff', {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0] as string, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'noura@example.sa', name: 'نورة', role: 'agent', password: 'a-long-password-1' }),
    });
    const { staff: noura } = await json<{ staff: Record<string, unknown> }>(created, 201);
    expect(Object.keys(noura).sort()).toEqual(STAFF_KEYS);
    expect(noura).toMatchObject({ email: 'noura@example.sa', role: 'agent', team: null });
    expect(await countStaff(deps.db)).toBe(staffBefore + 1);
    const again = await call(app, 'POST', '/v1/staff', {
      key: keys.admin,
      body: { email: 'Noura@example.sa', name: 'نورة', role: 'agent', password: 'a-long-password-1' },
    });
    await expectProblem(again, 409, 'staff-exists');
    expect(await countStaff(deps.db)).toBe(staffBefore + 1);

    const { staff } = await json<{ staff: Record<string, unknown>[] }>(
      await call(app, 'GET', '/v1/staff', { key: keys.admin }),
      200,
    );
    expect(staff.map((s) => s.email)).toEqual(expect.arrayContaining(['admin@sanad.local', 'noura@example.sa']));
    for (const s of staff) expect(Object.keys(s).sort()).toEqual(STAFF_KEYS);
  });

  it('request bodies take camelCase only', async () => {
    const res = await call(app, 'POST', '/v1/staff', {
      key: keys.admin,
      body: { email: 'sara@example.sa', name: 'Sara', role: 'agent', password: 'a-long-password-1', team_name: 'x' },
    });
    const body = await expectProblem(res, 400, 'validation-failed');
    expect(body.errors).toEqual([{ path: 'team_name', message: 'unknown field: remove it' }]);
  });

  it('stores API keys hashed and revokes them', async () => {
    const res = await call(app, 'POST', '/v1/api-keys', { key: keys.admin, body: { name: 'website', role: 'agent' } });
    const created = await json<{ key: string; id: string; role: string }>(res, 201);
    expect(Object.keys(created).sort()).toEqual(['expiresAt', 'id', 'key', 'role', 'scopes']);
    const { key, id } = created;
    const stored = await deps.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [id]);
    expect(stored[0]?.key_hash).not.toContain(key);
    const me = await json<Record<string, unknown>>(await call(app, 'GET', '/v1/auth/me', { key }), 200);
    expect(me).toEqual({ kind: 'api_key', id, role: 'agent', name: 'website' });

    const listed = async () => {
      const { apiKeys } = await json<{ apiKeys: Record<string, unknown>[] }>(
        await call(app, 'GET', '/v1/api-keys', { key: keys.admin }),
        200,
      );
      for (const k of apiKeys) expect(Object.keys(k).sort()).toEqual(API_KEY_KEYS);
      return apiKeys.find((k) => k.id === id)!;
    };
    const used = await listed();
    expect(used).toMatchObject({ name: 'website', role: 'agent', revokedAt: null });
    expect(key.startsWith(used.prefix as string)).toBe(true);
    expect(typeof used.lastUsedAt).toBe('string');

    expect((await call(app, 'DELETE', `/v1/api-keys/${id}`, { key: keys.admin })).status).toBe(204);
    expect(typeof (await listed()).revokedAt).toBe('string');
    await expectProblem(await call(app, 'GET', '/v1/auth/me', { key }), 401, 'invalid-api-key');
    // Revoked already, unknown, or not an id at all.
    await expectProblem(await call(app, 'DELETE', `/v1/api-keys/${id}`, { key: keys.admin }), 404, 'not-found');
    await expectProblem(
      await call(app, 'DELETE', '/v1/api-keys/00000000-0000-4000-8000-000000000000', { key: keys.admin }),
      404,
      'not-found',
    );
    await expectProblem(await call(app, 'DELETE', '/v1/api-keys/nope', { key: keys.admin }), 400, 'validation-failed');
  });
});
