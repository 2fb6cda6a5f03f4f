/**
 * Two API processes behind one load balancer: a customer follows the feed on one while their
 * message is answered by the other. Both compose the whole service over one database and one
 * Redis; the second hears the first's events and streamed reply through the Redis bus.
 *
 * Runs only with REDIS_URL (CI's second run, on PostgreSQL + Redis): on the embedded default
 * there is one process by design, and its in-process bus has nobody else to tell.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../../src/modules.js';
import { compose } from '../../src/platform/compose.js';
import type { Db } from '../../src/platform/db/db.js';
import { silentLog, testConfig, testDatabase } from '../helpers/backends.js';
import { call, keysByRole } from '../helpers/http.js';
import { json, readSse, type SseEvent } from '../helpers/sse.js';

type Composed = Awaited<ReturnType<typeof composeOne>>;
const composeOne = (db: Db, prefix: string) =>
  compose(testConfig(), silentLog, buildService({ print: () => {} }), { db, prefix });

describe.runIf(process.env.REDIS_URL)('two API processes over one database and Redis', () => {
  let db: Db;
  let a: Composed | undefined;
  let b: Composed | undefined;

  beforeAll(async () => {
    db = await testDatabase();
    const prefix = `sanad-test-${randomBytes(4).toString('hex')}`;
    a = await composeOne(db, prefix);
    b = await composeOne(db, prefix);
    const imported = await a.kb.importFolder('knowledge-base');
    expect(imported.failed).toEqual([]);
  }, 180_000);
  afterAll(async () => {
    try {
      await a?.close();
      await b?.close();
    } finally {
      await db?.close();
    }
  });

  it('a feed on one process hears the reply the other produced, streamed and stored', async () => {
    if (!a || !b) throw new Error('not composed');
    expect(a.platform.bus.kind).toBe('redis');
    const keys = await keysByRole(db);
    const appA = a.app();
    const appB = b.app();
    const opened = await call(appA, 'POST', '/v1/conversations', {
      key: keys.agent,
      body: { contact: { externalId: `fan-out-${Date.now()}` }, lang: 'ar' },
    });
    const { conversation } = (await opened.json()) as { conversation: { id: string } };
    const minted = await call(appA, 'POST', `/v1/conversations/${conversation.id}/customer-token`, {
      key: keys.agent,
    });
    const { token } = (await minted.json()) as { token: string };

    const customerFeed = readSse(await call(appB, 'GET', `/v1/conversations/${conversation.id}/feed`, { key: token }));
    const staffFeed = readSse(await call(appB, 'GET', '/v1/feed', { key: keys.agent }));
    try {
      await customerFeed.until((e) => e.event === 'ready');
      await staffFeed.until((e) => e.event === 'ready');
      const posted = await call(appA, 'POST', `/v1/conversations/${conversation.id}/messages`, {
        key: token,
        body: { text: 'متى يرجع لي المبلغ اذا رجعت الطلب؟' },
      });
      expect(posted.status).toBe(201);
      const { reply } = (await posted.json()) as { reply: { id: string; content: string } };

      const isReply = (e: SseEvent) => e.event === 'message.created' && json(e).id === reply.id;
      const seen = await customerFeed.until(isReply);
      expect(json(seen.find(isReply) as SseEvent).content).toBe(reply.content);
      // The reply as it was produced on A reached B's feeds through Redis too.
      const streamed = await staffFeed.until((e) => e.event === 'reply.streaming');
      expect(json(streamed.find((e) => e.event === 'reply.streaming') as SseEvent).conversationId).toBe(
        conversation.id,
      );
      await staffFeed.until(isReply);
    } finally {
      await customerFeed.close();
      await staffFeed.close();
    }
  });
});
