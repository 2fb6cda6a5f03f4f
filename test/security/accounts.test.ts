import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/auth/password-policy.js';
import { createStaff } from '../../src/auth/staff.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;
const PASSWORD = 'blue camel drinks mint tea';

beforeAll(async () => {
  deps = await testDeps({
    config: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '6', TRUST_PROXY: 'true' },
  });
  app = deps.service.app();
  keys = await keysByRole(deps.db);
});
afterAll(async () => deps.close());

const loginAs = (email: string, password: string, address = '203.0.113.1') =>
  call(app, 'POST', '/v1/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });

describe('login throttling', () => {
  it('locks an account after its failures with a 429 and Retry-After, even for the right password', async () => {
    await createStaff(deps.db, { email: 'lock@example.sa', name: 'Lock', role: 'agent', password: PASSWORD });
    for (let i = 0; i < 3; i++) {
      expect((await loginAs('lock@example.sa', 'wrong password here', `198.51.100.${i}`)).status).toBe(401);
    }
    const locked = await loginAs('lock@example.sa', PASSWORD, '198.51.100.9');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { type: string }).type).toBe('/problems/too-many-attempts');
    expect(locked.headers.get('set-cookie')).toBeNull();
  });

  it('locks an address trying many accounts', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await loginAs(`nobody${i}@example.sa`, 'wrong password here', '192.0.2.7')).status).toBe(401);
    }
    await createStaff(deps.db, { email: 'addr@example.sa', name: 'Addr', role: 'agent', password: PASSWORD });
    expect((await loginAs('addr@example.sa', PASSWORD, '192.0.2.7')).status).toBe(429);
    expect((await loginAs('addr@example.sa', PASSWORD, '192.0.2.8')).status).toBe(200);
  });

  it('an unknown email costs as long as a wrong password', async () => {
    await createStaff(deps.db, { email: 'time@example.sa', name: 'Time', role: 'agent', password: PASSWORD });
    const time = async (email: string, i: number) => {
      const started = performance.now();
      expect((await loginAs(email, 'wrong password here', `10.9.0.${i}`)).status).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 2; i++) {
      known.push(await time('time@example.sa', i));
      unknown.push(await time(`ghost${i}@example.sa`, 10 + i));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    // Before: 794 ms against 22 ms. Both now run one scrypt.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });
});

describe('password policy', () => {
  it('refuses short, blank, repeated, listed and email-derived passwords', () => {
    for (const weak of [
      '            ',
      'aaaaaaaaaaaa',
      'abcabcabcabc',
      '123456789012',
      'qwertyuiop12',
      'Password2024!',
      'كلمةالمرور123',
      'short',
      'noura.alharbi@example.sa',
      'noura.alharbi-1234',
    ]) {
      expect(passwordProblem(weak, 'noura.alharbi@example.sa'), weak).toBeDefined();
    }
    expect(passwordProblem(PASSWORD, 'noura.alharbi@example.sa')).toBeUndefined();
    expect(passwordProblem('جمل أزرق يشرب الشاي', 'noura@example.sa')).toBeUndefined();
  });

  it('POST /v1/staff answers 400 weak-password naming the field and creates nothing', async () => {
    const res = await call(app, 'POST', '/v1/staff', {
      key: keys.admin,
      body: { email: 'weak@example.sa', name: 'Weak', role: 'agent', password: 'weak@example.sa' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; errors: { path: string }[] };
    expect(body.type).toBe('/problems/weak-password');
    expect(body.errors[0]?.path).toBe('password');
    expect(await deps.db.query("SELECT 1 FROM staff WHERE email = 'weak@example.sa'")).toHaveLength(0);
  });
});

describe('disabling a staff account', () => {
  it('ends its sessions at once and refuses its logins', async () => {
    const staff = await createStaff(deps.db, {
      email: 'gone@example.sa',
      name: 'Gone',
      role: 'agent',
      password: PASSWORD,
    });
    const res = await loginAs('gone@example.sa', PASSWORD, '10.1.1.1');
    const cookie = (res.headers.get('set-cookie') as string).split(';')[0] as string;
    expect((await app.request('/v1/auth/me', { headers: { cookie } })).status).toBe(200);
    expect((await call(app, 'POST', `/v1/staff/${staff.id}/disable`, { key: keys.agent })).status).toBe(403);
    expect((await call(app, 'POST', `/v1/staff/${staff.id}/disable`, { key: keys.admin })).status).toBe(204);
    expect((await app.request('/v1/auth/me', { headers: { cookie } })).status).toBe(401);
    expect(await deps.db.query('SELECT 1 FROM staff_sessions WHERE staff_id = $1', [staff.id])).toHaveLength(0);
    expect((await loginAs('gone@example.sa', PASSWORD, '10.1.1.2')).status).toBe(401);
    expect((await call(app, 'POST', `/v1/staff/${staff.id}/disable`, { key: keys.admin })).status).toBe(404);
  });
});

describe('API keys', () => {
  it('a key never mints a key at or above its own role', async () => {
    const mint = (key: string, role: string) => call(app, 'POST', '/v1/api-keys', { key, body: { name: 'x', role } });
    const admin = await mint(keys.admin, 'admin');
    expect(admin.status).toBe(403);
    expect(((await admin.json()) as { type: string }).type).toBe('/problems/role-too-high');
    const sup = await mint(keys.admin, 'supervisor');
    expect(sup.status).toBe(201);
    const created = (await sup.json()) as { key: string; scopes: string[]; expiresAt: string };
    expect(created.scopes).toContain('reports');
    expect(new Date(created.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await mint(created.key, 'agent')).status).toBe(403); // a supervisor key is no admin
  });

  it('an expired key is refused; the admin API shows scopes, expiry and last use', async () => {
    const res = await call(app, 'POST', '/v1/api-keys', {
      key: keys.admin,
      body: { name: 'short-lived', role: 'agent', expiresInDays: 1 },
    });
    const { key, id } = (await res.json()) as { key: string; id: string };
    expect((await call(app, 'GET', '/v1/auth/me', { key })).status).toBe(200);
    const { apiKeys } = (await (await call(app, 'GET', '/v1/api-keys', { key: keys.admin })).json()) as {
      apiKeys: { id: string; scopes: string[]; expiresAt: string; lastUsedAt: string | null }[];
    };
    const listed = apiKeys.find((k) => k.id === id);
    expect(listed?.scopes).toContain('articles:read-published');
    expect(listed?.lastUsedAt).toBeTruthy();
    await deps.db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    expect((await call(app, 'GET', '/v1/auth/me', { key })).status).toBe(401);
  });
});

describe('contacts belong to their integration', () => {
  it("key B opening a conversation with A's externalId never touches A's contact", async () => {
    const mint = async (name: string) =>
      (await (await call(app, 'POST', '/v1/api-keys', { key: keys.admin, body: { name, role: 'agent' } })).json()) as {
        key: string;
      };
    const a = await mint('shop-a');
    const b = await mint('shop-b');
    const open = (key: string, name: string, lang: string) =>
      call(app, 'POST', '/v1/conversations', { key, body: { contact: { externalId: 'cust-42', name }, lang } });
    const first = (await (await open(a.key, 'نورة', 'ar')).json()) as { conversation: { id: string } };
    await open(b.key, 'Mallory', 'en');
    const [row] = await deps.db.query<{ name: string; lang: string; n: number }>(
      `SELECT ct.name, ct.lang, (SELECT count(*)::int FROM conversations x WHERE x.contact_id = ct.id) AS n
       FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = $1`,
      [first.conversation.id],
    );
    expect(row).toEqual({ name: 'نورة', lang: 'ar', n: 1 });
  });
});

describe('safe defaults', () => {
  it('signed-in answers are not cacheable and carry a CSP; /metrics needs credentials', async () => {
    const me = await call(app, 'GET', '/v1/auth/me', { key: keys.agent });
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await call(app, 'GET', '/metrics', { key: keys.agent })).status).toBe(403);
    expect((await call(app, 'GET', '/metrics', { key: keys.admin })).status).toBe(200);
  });

  it('listens on loopback and sets Secure cookies off localhost by default', async () => {
    const { loadConfig } = await import('../../src/platform/config.js');
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    await createStaff(deps.db, { email: 'cookie@example.sa', name: 'C', role: 'agent', password: PASSWORD });
    const res = await app.request('https://sanad.example.com/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.2.2.2' },
      body: JSON.stringify({ email: 'cookie@example.sa', password: PASSWORD }),
    });
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('METRICS_TOKEN admits a scraper', async () => {
    const token = 'metrics-token-0123456789';
    const other = await testDeps({ config: { METRICS_TOKEN: token } });
    try {
      const res = await other.service.app().request('/metrics', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
