/**
 * The outbox: events are stored with the change or not at all, dispatched to each subscriber
 * once even when redelivered, and what a crash or a job-runner outage left undispatched is
 * dispatched by the sweep. Runs on whichever backends the suite runs on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/platform/db/db.js';
import { inProcessBus, type LiveNote } from '../../src/platform/events/bus.js';
import { createEvents, type StoredEvent } from '../../src/platform/events/outbox.js';
import { handlerOf, type JobHandler, type JobRunner } from '../../src/platform/jobs/jobs.js';
import { silentLog, testDatabase, testJobRunner } from '../helpers/backends.js';

let db: Db;
let jobs: JobRunner;
const handlers = new Map<string, JobHandler>();
let enqueueFails = false;

beforeAll(async () => {
  db = await testDatabase();
  const real = await testJobRunner(handlers);
  // A runner whose enqueue can be made to fail, as when Redis is unreachable after a commit.
  jobs = {
    ...real,
    enqueue: async (...args) => {
      if (enqueueFails) throw new Error('redis is down');
      return real.enqueue(...args);
    },
  };
}, 120_000);
afterAll(async () => {
  await jobs?.close();
  await db?.close();
});

async function until(check: () => Promise<boolean>, ms = 30_000) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    await jobs.idle();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

describe('the outbox', () => {
  it('stores events with their change, announces them, and runs each subscriber once per event', async () => {
    const bus = inProcessBus(silentLog);
    const heard: LiveNote[] = [];
    bus.subscribe((n) => heard.push(n));
    const events = createEvents({ db, jobs, bus, log: silentLog });
    handlers.set(events.dispatchJob.name, handlerOf(events.dispatchJob));
    const seen: Record<string, number[]> = { audit: [], flaky: [] };
    let flakyFailures = 1;
    events.subscribe({
      name: 'audit',
      on: ['thing.happened'],
      handle: async (e: StoredEvent) => void seen.audit?.push(e.id),
    });
    events.subscribe({
      name: 'flaky',
      on: ['thing.happened'],
      async handle(e: StoredEvent) {
        if (flakyFailures-- > 0) throw new Error('a subscriber failed once');
        seen.flaky?.push(e.id);
      },
    });

    // A change that rolls back leaves no event behind.
    await expect(
      events.transaction(async (_tx, emit) => {
        await emit({ type: 'thing.happened', data: { n: 0 } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow(/change failed/);

    await events.transaction(async (_tx, emit) => {
      await emit({ type: 'thing.happened', data: { n: 1 } }, { type: 'thing.happened', data: { n: 2 } });
    });
    const stored = await events.read(0, 100);
    expect(stored.map((e) => e.data.n)).toEqual([1, 2]);
    const ids = stored.map((e) => e.id);
    expect(ids[1]).toBeGreaterThan(ids[0] as number);
    expect(heard).toContainEqual(expect.objectContaining({ kind: 'events', upTo: ids[1] }));

    await until(async () => (await db.query('SELECT 1 FROM events WHERE dispatched_at IS NULL')).length === 0);
    // The failing subscriber was retried; the one that had succeeded was not run again. Events
    // are dispatched by concurrent jobs, so each subscriber sees each event once in any order
    // (feeds order by id, not by dispatch).
    const byId = (a: number, b: number) => a - b;
    expect(seen.audit?.slice().sort(byId)).toEqual(ids);
    expect(seen.flaky?.slice().sort(byId)).toEqual(ids);

    // Redelivered: nothing runs twice.
    for (const id of ids) await events.dispatch(id);
    await db.query('UPDATE events SET dispatched_at = NULL');
    for (const id of ids) await events.dispatch(id);
    expect(seen.audit?.slice().sort(byId)).toEqual(ids);
    expect(seen.flaky).toHaveLength(2);
  });

  it('an event whose dispatch could not be enqueued is dispatched by the sweep (as after a restart)', async () => {
    const events = createEvents({ db, jobs, bus: inProcessBus(silentLog), log: silentLog });
    handlers.set(events.dispatchJob.name, handlerOf(events.dispatchJob));
    const handled: number[] = [];
    events.subscribe({ name: 'counter', on: ['order.placed'], handle: async (e) => void handled.push(e.id) });
    enqueueFails = true;
    try {
      // The change commits; the enqueue after it fails, and nothing is lost.
      await events.transaction(async (_tx, emit) => emit({ type: 'order.placed', data: {} }));
    } finally {
      enqueueFails = false;
    }
    await jobs.idle();
    expect(handled).toEqual([]);
    expect(await events.sweep(0)).toBeGreaterThanOrEqual(1);
    await until(async () => handled.length === 1);
    expect(await events.sweep(0)).toBe(0);
    await jobs.idle();
    expect(handled).toHaveLength(1);
  });
});
