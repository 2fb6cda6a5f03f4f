/**
 * PostgreSQL restarted (a fast shutdown: connections cut, statements aborted) while customers'
 * messages are being handled. A client that gets an error sends the same message again with the
 * same channelMessageId, as channels do. Afterwards every message is stored once and answered or
 * handed off: lost 0, duplicated 0, unanswered 0; recovery is from the restart to the first turn
 * that succeeds after it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultService, report } from './deps.js';
import { type PrivatePostgres, type PrivateRedis, privatePostgres, privateRedis } from './services.js';

const CONVERSATIONS = 60;
const CLIENTS = 6;
const QUESTIONS = [
  'how long does a refund take?',
  'متى يرجع لي المبلغ اذا رجعت الطلب؟',
  'مرحبا',
  'I want to cancel my order',
];

let pg: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
let deps: Awaited<ReturnType<typeof faultService>> | undefined;

beforeAll(async () => {
  pg = await privatePostgres();
  redis = await privateRedis();
  deps = await faultService(pg.url, redis.url, { EMBEDDER: 'local' });
  const imported = await deps.service.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
  await deps.service.start();
});

afterAll(async () => {
  try {
    await deps?.close();
  } finally {
    await redis?.stop();
    await pg?.remove();
  }
});

async function retried<T>(fn: () => Promise<T>, onError: () => void): Promise<T> {
  const until = Date.now() + 180_000;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      onError();
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('faults: PostgreSQL restarted during turns', () => {
  it('every message is stored once and answered or handed off', async () => {
    const { service, db } = deps as NonNullable<typeof deps>;
    const inbox = service.inbox;
    let done = 0;
    let errors = 0;
    let restartedAt = 0;
    let firstAfter = 0;
    const ids: string[] = [];
    const restart = (async () => {
      while (done < 15) await new Promise((r) => setTimeout(r, 50));
      restartedAt = Date.now();
      await pg?.restart(2000);
    })();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < CONVERSATIONS) {
          const i = next++;
          const externalId = `pg-fault-${i}-${randomUUID()}`;
          const channelMessageId = `m-${externalId}`;
          const conversation = await retried(
            () => inbox.open({ channel: 'api', externalId }),
            () => errors++,
          );
          ids.push(conversation.id);
          await retried(
            () =>
              inbox.receive({
                conversationId: conversation.id,
                text: QUESTIONS[i % QUESTIONS.length] as string,
                channelMessageId,
              }),
            () => errors++,
          );
          done++;
          if (restartedAt && !firstAfter && Date.now() > restartedAt + 2000) firstAfter = Date.now();
        }
      }),
    );
    await restart;
    const rows = await db.query<{ id: string; customer: number; bot: number; status: string }>(
      `SELECT c.id, c.status,
         count(*) FILTER (WHERE m.role = 'customer')::int AS customer,
         count(*) FILTER (WHERE m.role = 'bot')::int AS bot
       FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id
       WHERE c.id::text = ANY($1::text[]) GROUP BY c.id`,
      [ids],
    );
    const figures = {
      messages: CONVERSATIONS,
      'errors retried': errors,
      lost: CONVERSATIONS - rows.filter((r) => r.customer >= 1).length,
      duplicated: rows.filter((r) => r.customer > 1).length,
      unanswered: rows.filter((r) => r.bot === 0 && r.status === 'bot').length,
      'recovery s': firstAfter ? ((firstAfter - restartedAt) / 1000).toFixed(1) : 'n/a',
    };
    report('postgres restart', figures);
    expect(rows).toHaveLength(CONVERSATIONS);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(figures.unanswered).toBe(0);
    expect(restartedAt).toBeGreaterThan(0);
  });
});
