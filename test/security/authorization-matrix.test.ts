import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerToken } from '../../src/auth/customer-tokens.js';
import { createSession } from '../../src/auth/sessions.js';
import { createStaff } from '../../src/auth/staff.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';

/**
 * Every operation in /openapi.json × every kind of caller × own, foreign, empty, malformed and
 * missing ids. A route added tomorrow is in the document, so it is in the matrix. Foreign
 * records carry a marker that restricted callers must never read. Prints: requests, foreign
 * markers returned, wrong statuses.
 */

const MARKER = `FOREIGN-${randomUUID().slice(0, 8)}`;
let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;

interface Caller {
  name: string;
  headers: Record<string, string>;
  /** Staff role, 'customer', or undefined for no valid credentials. */
  role?: string;
  /** Must never see the foreign integration's records. */
  restricted: boolean;
  apiKey?: boolean;
}
let callers: Caller[];
const ids = { own: {} as Record<string, string>, foreign: {} as Record<string, string> };

async function openWithMessage(key: string, name: string, text: string) {
  const res = await call(app, 'POST', '/v1/conversations', {
    key,
    body: { contact: { externalId: 'same-person', name } },
  });
  const { conversation } = (await res.json()) as { conversation: { id: string } };
  const posted = await call(app, 'POST', `/v1/conversations/${conversation.id}/messages`, { key, body: { text } });
  const { message } = (await posted.json()) as { message: { id: string } };
  const [handoff] = await deps.db.query<{ id: string }>('SELECT id FROM handoffs WHERE conversation_id = $1', [
    conversation.id,
  ]);
  return { conversation: conversation.id, message: message.id, handoff: handoff?.id ?? randomUUID() };
}

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app();
  const a = await keysByRole(deps.db);
  const b = await keysByRole(deps.db);
  const own = await openWithMessage(a.agent, 'Own Customer', 'أبي أكلم موظف لو سمحت');
  const foreign = await openWithMessage(b.agent, `${MARKER} name`, `أبي أكلم موظف ${MARKER}`);
  ids.own = own;
  ids.foreign = foreign;
  // A draft only editors may read: agents' and customers' keys must never see it.
  const draft = await call(app, 'POST', '/v1/articles', {
    key: a.editor,
    body: {
      id: 'matrix-draft',
      title: `Draft ${MARKER}`,
      lang: 'en',
      tags: [],
      questions: [],
      body: `Secret ${MARKER}`,
    },
  });
  expect(draft.status).toBe(201);
  const customer = await createCustomerToken(deps.db, own.conversation, 1);
  const admin = await createStaff(deps.db, {
    email: 'matrix@example.sa',
    name: 'Matrix',
    role: 'admin',
    password: 'matrix pass phrase 2024',
  });
  const session = await createSession(deps.db, admin.id, 1);
  const expired = await createSession(deps.db, admin.id, 1);
  await deps.db.query("UPDATE staff_sessions SET expires_at = now() - interval '1 minute' WHERE staff_id = $1", [
    admin.id,
  ]);
  const live = await createSession(deps.db, admin.id, 1);
  void session;
  const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
  callers = [
    { name: 'none', headers: {}, restricted: true },
    { name: 'expired session', headers: { cookie: `sanad_session=${expired}` }, restricted: true },
    { name: 'forged cookie', headers: { cookie: `sanad_session=${randomUUID()}` }, restricted: true },
    { name: 'customer token (own conversation)', headers: bearer(customer.token), role: 'customer', restricted: true },
    { name: 'agent key A', headers: bearer(a.agent), role: 'agent', restricted: true, apiKey: true },
    { name: 'editor key A', headers: bearer(a.editor), role: 'editor', restricted: false, apiKey: true },
    { name: 'supervisor key A', headers: bearer(a.supervisor), role: 'supervisor', restricted: false, apiKey: true },
    { name: 'admin key A', headers: bearer(a.admin), role: 'admin', restricted: false, apiKey: true },
    { name: 'agent key B', headers: bearer(b.agent), role: 'agent', restricted: false, apiKey: true },
    { name: 'admin session', headers: { cookie: `sanad_session=${live}` }, role: 'admin', restricted: false },
  ];
});
afterAll(async () => deps.close());

interface Operation {
  method: string;
  path: string;
  roles: string[];
  customer: boolean;
  stream: boolean;
}

const KINDS = ['own', 'foreign', 'empty', 'malformed', 'missing'] as const;
type Kind = (typeof KINDS)[number];

/** The value for a path parameter: which record the parameter names depends on the path. */
function idFor(path: string, kind: Kind): string {
  if (kind === 'empty') return '';
  if (kind === 'malformed') return 'not-an-id';
  if (kind === 'missing') return randomUUID();
  const set = kind === 'own' ? ids.own : ids.foreign;
  if (path.startsWith('/v1/articles/')) return 'matrix-draft';
  if (path.startsWith('/v1/messages/')) return set.message as string;
  if (path.startsWith('/v1/reports/handoffs/')) return set.handoff as string;
  return set.conversation as string;
}

/** Reads a body; a live feed for a moment only. */
async function readBody(res: Response, stream: boolean): Promise<string> {
  if (!stream || !res.headers.get('content-type')?.includes('event-stream')) return res.text();
  const reader = res.body?.getReader();
  if (!reader) return '';
  let text = '';
  const stop = setTimeout(() => void reader.cancel().catch(() => {}), 150);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // cancelled
  } finally {
    clearTimeout(stop);
  }
  return text;
}

describe('authorisation matrix from the OpenAPI document', () => {
  it('no foreign record reaches a restricted caller and every refusal has the right status', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          { 'x-roles'?: string[]; 'x-customer'?: boolean; responses: Record<string, { content?: object }> }
        >
      >;
    };
    const operations: Operation[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = op.responses['200'] ?? op.responses['201'];
        operations.push({
          method: method.toUpperCase(),
          path,
          roles: op['x-roles'] ?? [],
          customer: Boolean(op['x-customer']),
          stream: Boolean(ok?.content && 'text/event-stream' in ok.content),
        });
      }
    }
    expect(operations.length).toBeGreaterThan(40);

    let requests = 0;
    let seenByAdmin = 0;
    const leaks: string[] = [];
    const wrong: string[] = [];
    for (const op of operations) {
      const hasParams = op.path.includes('{');
      const kinds: (Kind | 'none')[] = hasParams ? [...KINDS] : ['none'];
      const secured = op.roles.length > 0 || op.customer;
      for (const caller of callers) {
        if (op.path === '/v1/auth/logout' && caller.name === 'admin session') continue; // would end the session
        for (const kind of kinds) {
          const url = op.path.replace(/\{[^}]+\}/g, (m) =>
            m === '{version}' ? '1' : encodeURIComponent(idFor(op.path, kind as Kind)),
          );
          const body = ['POST', 'PUT', 'PATCH'].includes(op.method) ? '{}' : undefined;
          const headers = { ...caller.headers, ...(body ? { 'content-type': 'application/json' } : {}) };
          const res = await app.request(url, { method: op.method, headers, body });
          requests++;
          const text = await readBody(res, op.stream);
          const label = `${caller.name} ${op.method} ${url} (${kind}) → ${res.status}`;
          if (caller.name === 'admin session' && text.includes(MARKER)) seenByAdmin++;
          const conversationScoped = /^\/v1\/(conversations|messages)\/\{id\}/.test(op.path);
          if (
            text.includes(MARKER) &&
            (caller.restricted || (caller.apiKey && conversationScoped && caller.name !== 'agent key B'))
          )
            leaks.push(label);
          const status = res.status;
          let expected: ((s: number) => boolean) | undefined;
          if (status >= 500) expected = () => false;
          else if (kind === 'empty')
            expected = (s) => s >= 400 && s < 500; // no route has an empty segment
          else if (!secured) expected = undefined;
          else if (!caller.role) expected = (s) => s === 401;
          else if (caller.role === 'customer') expected = op.customer ? (s) => s < 500 : (s) => s === 403;
          else if (!op.roles.includes(caller.role)) expected = (s) => s === 403;
          if (!expected && kind === 'foreign' && conversationScoped && caller.apiKey && caller.name !== 'agent key B') {
            expected = (s) => s >= 400 && s < 500;
          }
          if (!expected && kind === 'foreign' && caller.role === 'customer' && op.customer) {
            expected = (s) => s === 404 || s === 400 || s === 403;
          }
          if (!expected && (kind === 'missing' || kind === 'malformed' || kind === 'empty')) {
            expected = (s) => s >= 400 && s < 500;
          }
          if (expected && !expected(status)) wrong.push(`${label}: ${text.slice(0, 160)}`);
        }
      }
    }
    // The planted records are reachable at all: an unrestricted caller does read them.
    expect(seenByAdmin).toBeGreaterThan(0);
    console.log(
      `[security] authorisation matrix: ${operations.length} operations, ${callers.length} callers, ${requests} requests, ${leaks.length} foreign markers returned, ${wrong.length} wrong statuses`,
    );
    expect(leaks).toEqual([]);
    expect(wrong).toEqual([]);
  });
});
