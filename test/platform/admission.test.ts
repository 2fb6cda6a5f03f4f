import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { admission } from '../../src/platform/http/admission.js';
import type { AppEnv } from '../../src/platform/http/env.js';
import { Problem, sendProblem } from '../../src/platform/http/problem.js';

function appWith(limits: { concurrency: number; queue: number; maxWaitMs: number }) {
  const gate = admission(limits);
  const held: (() => void)[] = [];
  const app = new Hono<AppEnv>();
  app.onError((error, c) => (error instanceof Problem ? sendProblem(c, error) : c.text('boom', 500)));
  app.use('/turn', gate.middleware);
  app.post('/turn', async (c) => {
    await new Promise<void>((r) => held.push(r));
    return c.json({ ok: true });
  });
  return { app, gate, held };
}

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
};

describe('admission', () => {
  it('handles `concurrency` at once, lines up `queue` more, and refuses the rest with 429 and Retry-After', async () => {
    const { app, gate, held } = appWith({ concurrency: 2, queue: 1, maxWaitMs: 60_000 });
    const admitted = [1, 2, 3].map(() => app.request('/turn', { method: 'POST' }));
    await until(() => held.length === 2 && gate.stats().waiting === 1);
    const refused = await app.request('/turn', { method: 'POST' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { type: string }).type).toBe('/problems/overloaded');
    held.shift()?.();
    await until(() => held.length === 2);
    expect(gate.stats()).toEqual({ active: 2, waiting: 0 });
    for (const release of held.splice(0)) release();
    expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(gate.stats()).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses a request that waited longer than maxWaitMs, and frees its place in line', async () => {
    const { app, gate, held } = appWith({ concurrency: 1, queue: 5, maxWaitMs: 50 });
    const first = app.request('/turn', { method: 'POST' });
    await until(() => held.length === 1);
    const late = await app.request('/turn', { method: 'POST' });
    expect(late.status).toBe(429);
    expect(gate.stats()).toEqual({ active: 1, waiting: 0 });
    held.shift()?.();
    expect((await first).status).toBe(200);
    expect(gate.stats()).toEqual({ active: 0, waiting: 0 });
  });
});
