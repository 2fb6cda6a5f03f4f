import { afterEach, describe, expect, it } from 'vitest';
import type { JobHandler, JobRunner } from '../../src/platform/jobs/jobs.js';
import { backend, testJobRunner } from '../helpers/backends.js';

let runner: JobRunner | undefined;
afterEach(async () => {
  await runner?.close();
  runner = undefined;
});

describe(`job runner (${backend.jobs})`, () => {
  it('runs a job by name with its payload and returns the result', async () => {
    runner = await testJobRunner(new Map<string, JobHandler>([['double', async (p) => (p as { n: number }).n * 2]]));
    expect(runner.kind).toBe(backend.jobs);
    expect(await runner.run<number>('double', { n: 21 })).toBe(42);
  });

  it('runs a job once for a repeated stable id', async () => {
    const seen: string[] = [];
    runner = await testJobRunner(
      new Map<string, JobHandler>([
        [
          'record',
          async (p) => {
            seen.push((p as { v: string }).v);
          },
        ],
      ]),
    );
    await runner.enqueue('record', { v: 'a' }, { jobId: 'j-msg-1' });
    await runner.enqueue('record', { v: 'b' }, { jobId: 'j-msg-1' });
    await runner.enqueue('record', { v: 'c' }, { jobId: 'j-msg-2' });
    await runner.idle();
    expect(seen.sort()).toEqual(['a', 'c']);
  });

  it('retries a failing job within its attempts and reports progress', async () => {
    let calls = 0;
    const progress: number[] = [];
    runner = await testJobRunner(
      new Map<string, JobHandler>([
        [
          'flaky',
          async (_p, ctx) => {
            calls++;
            await ctx.progress(50);
            if (calls < 2) throw new Error('transient');
            return 'ok';
          },
        ],
      ]),
    );
    expect(await runner.run('flaky', {}, { attempts: 3, onProgress: (e) => progress.push(e.percent) })).toBe('ok');
    expect(calls).toBe(2);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('rejects with the error after the last attempt', async () => {
    runner = await testJobRunner(
      new Map<string, JobHandler>([
        [
          'broken',
          async () => {
            throw new Error('always');
          },
        ],
      ]),
    );
    await expect(runner.run('broken', {}, { attempts: 2 })).rejects.toThrow(/always/);
  });

  it('finishes running jobs on close', async () => {
    // The job signals that it runs and then waits for the test, instead of the test sleeping and
    // hoping the worker picked the job up by then (a loaded machine or BullMQ may take longer).
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let finished = false;
    runner = await testJobRunner(
      new Map<string, JobHandler>([
        [
          'slow',
          async () => {
            started();
            await gate;
            finished = true;
          },
        ],
      ]),
    );
    try {
      await runner.enqueue('slow', {});
      await running;
      let closed = false;
      const closing = runner.close().then(() => {
        closed = true;
      });
      // close() must still be waiting for the job: nothing lets it finish until the gate opens.
      await new Promise((r) => setTimeout(r, 50));
      expect(closed).toBe(false);
      release();
      await closing;
      runner = undefined;
      expect(finished).toBe(true);
    } finally {
      // A failed assertion must not leave the job (and afterEach's close) waiting forever.
      release();
    }
  });
});
