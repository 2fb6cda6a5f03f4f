import type { Logger } from 'pino';
import type { JobHandler, JobOptions, JobRunner, ProgressEvent } from './jobs.js';

interface Pending {
  name: string;
  payload: unknown;
  id?: string;
  attempts: number;
  attempt: number;
  onProgress?: (e: ProgressEvent) => void;
  resolve?: (v: unknown) => void;
  reject?: (e: unknown) => void;
}

const REMEMBERED_IDS = 10_000;

/** The embedded runner: jobs run in this process with bounded concurrency and retries. */
export function inProcessRunner(handlers: Map<string, JobHandler>, log: Logger, concurrency = 2): JobRunner {
  const queue: Pending[] = [];
  const known = new Set<string>();
  let active = 0;
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  const stats = { completed: 0, failed: 0 };

  const remember = (id: string) => {
    known.add(id);
    if (known.size > REMEMBERED_IDS) known.delete(known.values().next().value as string);
  };

  const settleIdle = () => {
    if (active === 0 && queue.length === 0) {
      for (const w of idleWaiters) w();
      idleWaiters = [];
    }
  };

  const pump = () => {
    while (active < concurrency && queue.length > 0) {
      const job = queue.shift() as Pending;
      active++;
      void execute(job).finally(() => {
        active--;
        pump();
        settleIdle();
      });
    }
  };

  async function execute(job: Pending): Promise<void> {
    const handler = handlers.get(job.name);
    if (!handler) {
      job.reject?.(new Error(`No handler for job ${job.name}`));
      return;
    }
    for (;;) {
      job.attempt++;
      try {
        const result = await handler(job.payload, {
          attempt: job.attempt,
          attempts: job.attempts,
          progress: async (percent, detail) => job.onProgress?.({ percent, detail }),
        });
        stats.completed++;
        job.resolve?.(result);
        return;
      } catch (error) {
        if (job.attempt >= job.attempts || closed) {
          stats.failed++;
          log.error({ err: error, job: job.name, attempt: job.attempt }, 'job failed');
          job.reject?.(error);
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** job.attempt)));
      }
    }
  }

  const add = (job: Pending) => {
    if (closed) throw new Error('The job runner is shutting down');
    queue.push(job);
    pump();
  };

  return {
    kind: 'in-process',
    async enqueue(name, payload, options: JobOptions = {}) {
      if (options.jobId) {
        if (known.has(options.jobId)) return;
        remember(options.jobId);
      }
      add({ name, payload, id: options.jobId, attempts: options.attempts ?? 3, attempt: 0 });
    },
    run<T>(name: string, payload: unknown, options: JobOptions & { onProgress?: (e: ProgressEvent) => void } = {}) {
      return new Promise<T>((resolve, reject) => {
        add({
          name,
          payload,
          id: options.jobId,
          attempts: options.attempts ?? 1,
          attempt: 0,
          onProgress: options.onProgress,
          resolve: resolve as (v: unknown) => void,
          reject,
        });
      });
    },
    idle() {
      if (active === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((r) => idleWaiters.push(r));
    },
    async ping() {
      return !closed;
    },
    async counts() {
      return { waiting: queue.length, active, completed: stats.completed, failed: stats.failed };
    },
    async close() {
      closed = true;
      await this.idle();
    },
  };
}
