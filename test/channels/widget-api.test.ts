/**
 * The widget's API as another site's page calls it: sessions for anonymous and identified
 * visitors, the site allow-list, history, "talk to a person", and "was this helpful?".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHash } from '../../src/channels/widget/index.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';

const SITE = 'https://shop.example';
const SECRET = 'the-site-secret-0123456789abcdef';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;

beforeAll(async () => {
  deps = await testDeps({ config: { WIDGET_ALLOWED_ORIGINS: SITE, WIDGET_IDENTITY_SECRET: SECRET } });
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
  app = deps.service.app();
}, 180_000);
afterAll(async () => deps?.close());

interface Session {
  token: string;
  conversationId: string;
  identified: boolean;
  expiresAt: string;
}

async function session(body: Record<string, unknown> = {}, origin = SITE) {
  return call(app, 'POST', '/v1/widget/sessions', { body, headers: { origin } });
}

async function started(body: Record<string, unknown> = {}): Promise<Session> {
  const res = await session(body);
  expect(res.status).toBe(201);
  return (await res.json()) as Session;
}

const asVisitor = (s: Session, method: string, path: string, body?: unknown, origin = SITE) =>
  call(app, method, path, { key: s.token, body, headers: { origin } });

describe('widget sessions', () => {
  it('an anonymous visitor of an allowed site gets a token for a new conversation each time', async () => {
    const a = await started({ locale: 'ar' });
    const b = await started({ locale: 'ar' });
    expect(a.token).toMatch(/^ct_sanad_/);
    expect(a.identified).toBe(false);
    expect(a.conversationId).not.toBe(b.conversationId);
    const read = await asVisitor(a, 'GET', `/v1/conversations/${a.conversationId}`);
    expect(read.status).toBe(200);
    const { conversation } = (await read.json()) as { conversation: { channel: string; lang: string } };
    expect(conversation).toMatchObject({ channel: 'widget', lang: 'ar' });
  });

  it('a site not on the allow-list gets a 403 problem and nothing is created; its page cannot use a token either', async () => {
    const count = async () =>
      (await deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM conversations WHERE channel = 'widget'"))[0]
        ?.n;
    const before = await count();
    const refused = await session({}, 'https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.json()) as { type: string }).type).toBe('/problems/origin-not-allowed');
    expect(await count()).toBe(before);

    const mine = await started();
    const elsewhere = await asVisitor(
      mine,
      'GET',
      `/v1/conversations/${mine.conversationId}`,
      undefined,
      'https://evil.example',
    );
    expect(elsewhere.status).toBe(403);
    const posted = await asVisitor(
      mine,
      'POST',
      `/v1/conversations/${mine.conversationId}/messages`,
      { text: 'hello' },
      'https://evil.example',
    );
    expect(posted.status).toBe(403);
    const stored = await deps.db.query('SELECT 1 FROM messages WHERE conversation_id = $1', [mine.conversationId]);
    expect(stored).toHaveLength(0);
  });

  it('CORS lets the allowed site read the answers, and no other site', async () => {
    const preflight = (origin: string) =>
      call(app, 'OPTIONS', '/v1/widget/sessions', {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight(SITE)).headers.get('access-control-allow-origin')).toBe(SITE);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('an identified user continues their open conversation and sees their earlier ones; a wrong hash is a 401', async () => {
    const user = { id: 'u-1001', hash: userHash(SECRET, 'u-1001'), name: 'نورة' };
    const first = await started({ user, locale: 'ar' });
    expect(first.identified).toBe(true);
    const posted = await asVisitor(first, 'POST', `/v1/conversations/${first.conversationId}/messages`, {
      text: 'كم رسوم التوصيل؟',
    });
    expect(posted.status).toBe(201);
    // The same user again (another tab, a new token): the same open conversation.
    const again = await started({ user });
    expect(again.conversationId).toBe(first.conversationId);

    await deps.inbox.resolve(first.conversationId);
    const next = await started({ user });
    expect(next.conversationId).not.toBe(first.conversationId);
    const history = await asVisitor(next, 'GET', '/v1/widget/conversations');
    expect(history.status).toBe(200);
    const { conversations } = (await history.json()) as {
      conversations: {
        conversation: { id: string; status: string };
        messages: { role: string; confidence: unknown; survey: unknown }[];
      }[];
    };
    expect(conversations.map((c) => c.conversation.id)).toEqual([next.conversationId, first.conversationId]);
    expect(conversations[1]?.conversation.status).toBe('resolved');
    // Resolving starts the survey, whose question may already have arrived (jobs run apart).
    const turn = conversations[1]?.messages.filter((m) => !m.survey);
    expect(turn?.map((m) => m.role)).toEqual(['customer', 'bot']);
    expect(conversations[1]?.messages.every((m) => m.confidence === null)).toBe(true);
    // The earlier conversation itself is readable with the identified token.
    expect((await asVisitor(next, 'GET', `/v1/conversations/${first.conversationId}`)).status).toBe(200);

    const wrong = await session({ user: { id: 'u-1001', hash: userHash('another-secret-0123456789', 'u-1001') } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { type: string }).type).toBe('/problems/invalid-user-hash');
    // Someone else's id with this user's hash: refused too.
    const stolen = await session({ user: { id: 'u-2002', hash: user.hash } });
    expect(stolen.status).toBe(401);
  });

  it("an anonymous visitor's history is their one conversation, and other visitors' conversations are 404", async () => {
    const mine = await started();
    const theirs = await started();
    const history = (await (await asVisitor(mine, 'GET', '/v1/widget/conversations')).json()) as {
      conversations: { conversation: { id: string } }[];
    };
    expect(history.conversations.map((c) => c.conversation.id)).toEqual([mine.conversationId]);
    expect((await asVisitor(mine, 'GET', `/v1/conversations/${theirs.conversationId}`)).status).toBe(404);
    // Staff keys are for the API, not the widget's routes.
    const keys = await keysByRole(deps.db);
    expect((await call(app, 'GET', '/v1/widget/conversations', { key: keys.agent })).status).toBe(403);
  });

  it('a bad body names what to fix', async () => {
    const res = await session({ locale: 'fr', user: { id: 'x', hash: 'nothex' } });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['locale', 'user.hash']);
  });
});

describe('talking to a person and rating answers', () => {
  it('"talk to a person" hands off with reason customer_request, whatever the label says', async () => {
    const s = await started({ locale: 'en' });
    const res = await asVisitor(s, 'POST', `/v1/conversations/${s.conversationId}/messages`, {
      text: 'Talk to a person',
      intent: 'human',
    });
    expect(res.status).toBe(201);
    const { reply } = (await res.json()) as { reply: { content: string } };
    expect(reply.content).toMatch(/customer-service team/);
    const [handoff] = await deps.db.query<{ reason: string }>(
      'SELECT reason FROM handoffs WHERE conversation_id = $1',
      [s.conversationId],
    );
    expect(handoff?.reason).toBe('customer_request');
    const [conversation] = await deps.db.query<{ status: string }>('SELECT status FROM conversations WHERE id = $1', [
      s.conversationId,
    ]);
    expect(conversation?.status).toBe('waiting_human');
  });

  it("a visitor rates an answer (the latest verdict stands, with an event); not a notice, not someone else's", async () => {
    const s = await started({ locale: 'ar' });
    const res = await asVisitor(s, 'POST', `/v1/conversations/${s.conversationId}/messages`, {
      text: 'كم يوم عندي عشان أرجع الغرض؟',
    });
    const { reply } = (await res.json()) as { reply: { id: string; decision: string } };
    expect(reply.decision).toBe('answer');
    expect((await asVisitor(s, 'POST', `/v1/messages/${reply.id}/feedback`, { helpful: false })).status).toBe(200);
    expect((await asVisitor(s, 'POST', `/v1/messages/${reply.id}/feedback`, { helpful: true })).status).toBe(200);
    const rows = await deps.db.query<{ helpful: boolean }>(
      'SELECT helpful FROM message_feedback WHERE message_id = $1',
      [reply.id],
    );
    expect(rows).toEqual([{ helpful: true }]);
    const events = await deps.db.query<{ data: { helpful: boolean; articleId: string } }>(
      "SELECT data FROM events WHERE type = 'message.rated' AND conversation_id = $1 ORDER BY id",
      [s.conversationId],
    );
    expect(events.map((e) => e.data.helpful)).toEqual([false, true]);
    expect(events[0]?.data.articleId).toBe('returns-policy-ar');

    const other = await started();
    expect((await asVisitor(other, 'POST', `/v1/messages/${reply.id}/feedback`, { helpful: true })).status).toBe(404);

    const handedOff = await asVisitor(other, 'POST', `/v1/conversations/${other.conversationId}/messages`, {
      text: 'x',
      intent: 'human',
    });
    const notice = ((await handedOff.json()) as { reply: { id: string } }).reply;
    const refused = await asVisitor(other, 'POST', `/v1/messages/${notice.id}/feedback`, { helpful: true });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { type: string }).type).toBe('/problems/not-an-answer');
  });
});
