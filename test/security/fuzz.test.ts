import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';

/**
 * Generated bodies for every JSON write in /openapi.json, as an admin and as an agent: no 5xx,
 * and a refused request (4xx) leaves every table as it was. Prints: requests, 5xx, partial writes.
 */

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;
let conversationId: string;

const TABLES = [
  'staff',
  'staff_sessions',
  'api_keys',
  'contacts',
  'conversations',
  'messages',
  'handoffs',
  'articles',
  'article_versions',
  'customer_tokens',
];

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app();
  keys = await keysByRole(deps.db);
  const res = await call(app, 'POST', '/v1/conversations', {
    key: keys.agent,
    body: { contact: { externalId: 'fuzz' } },
  });
  conversationId = ((await res.json()) as { conversation: { id: string } }).conversation.id;
});
afterAll(async () => deps.close());

const counts = async () => {
  const parts = TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ');
  return JSON.stringify(await deps.db.query(`SELECT ${parts}`));
};

const nasty = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\u202Eevil',
    '\uD800',
    '',
    ' ',
    'x'.repeat(5000),
    '<script>alert(1)</script>',
    "'; DROP TABLE staff; --",
  ),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, -1, 0, 1.5, 1e308),
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(nasty, { maxLength: 4 }) },
);

type Schema = { $ref?: string; properties?: Record<string, Schema> };

describe('fuzzing every JSON endpoint', () => {
  it('never answers 5xx and never half-writes a refused request', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (s: Schema): Schema =>
      s.$ref ? (doc.components.schemas[s.$ref.split('/').pop() as string] ?? {}) : s;
    let requests = 0;
    const errors: string[] = [];
    const partial: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        const fields = Object.keys(resolve(schema).properties ?? {});
        const body = fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fields.length
            ? fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] })
            : fc.object(),
        );
        const url = path.replace(/\{[^}]+\}/g, (m) => (m === '{version}' ? '1' : conversationId));
        for (const sample of fc.sample(body, { numRuns: 20, seed: requests + 19 })) {
          for (const key of [keys.admin, keys.agent]) {
            const before = await counts();
            const res = await call(app, method.toUpperCase(), url, { key, body: JSON.stringify(sample) });
            requests++;
            const text = await res.text();
            if (res.status >= 500)
              errors.push(
                `${method} ${url} ${JSON.stringify(sample).slice(0, 120)} → ${res.status} ${text.slice(0, 120)}`,
              );
            if (res.status >= 400 && res.status < 500 && (await counts()) !== before) {
              partial.push(`${method} ${url} ${JSON.stringify(sample).slice(0, 120)} → ${res.status}`);
            }
          }
        }
      }
    }
    console.log(`[security] fuzzing: ${requests} requests, ${errors.length} 5xx, ${partial.length} partial writes`);
    expect(errors.slice(0, 10)).toEqual([]);
    expect(partial.slice(0, 10)).toEqual([]);
  });
});
