import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobHandler, JobOptions, JobRunner, ProgressEvent } from './jobs.js';

export interface BullmqOptions {
  url: string;
  /** Key prefix, so tests and several deployments can share one Redis. */
  prefix?: string;
  queueName?: string;
  concurrency?: number;
  /** Whether this process also works jobs (API-only processes can set false). */
  work?: boolean;
}

/** Production runner: BullMQ on Redis; any number of processes may work the queue. */
export async function bullmqRunner(
  handlers: Map<string, JobHandler>,
  log: Logger,
  options: BullmqOptions,
): Promise<JobRunner> {
  const prefix = options.prefix ?? 'sanad';
  const queueName = options.queueName ?? 'jobs';
  // Workers block on Redis and must never give up on a command (BullMQ's production advice).
  const workerConnection = new Redis(options.url, { maxRetriesPerRequest: null });
  const producerConnection = new Redis(options.url, { maxRetriesPerRequest: 3 });
  const eventsConnection = new Redis(options.url, { maxRetriesPerRequest: null });
  await producerConnection.ping();

  const queue = new Queue(queueName, { connection: producerConnection, prefix });
  const events = new QueueEvents(queueName, { connection: eventsConnection, prefix });
  await events.waitUntilReady();

  const worker =
    options.work === false
      ? undefined
      : new Worker(
          queueName,
          async (job) => {
            const handler = handlers.get(job.name);
            if (!handler) throw new Error(`No handler for job ${job.name}`);
            return handler(job.data, {
              attempt: job.attemptsMade + 1,
              attempts: job.opts.attempts ?? 1,
              progress: async (percent, detail) => {
                await job.updateProgress({ percent, detail });
              },
            });
          },
          { connection: workerConnection, prefix, concurrency: options.concurrency ?? 2 },
        );
  worker?.on('failed', (job, err) => log.error({ err, job: job?.name, attempt: job?.attemptsMade }, 'job failed'));

  const defaults = (o: JobOptions) => ({
    jobId: o.jobId,
    attempts: o.attempts ?? 3,
    backoff: { type: 'exponential' as const, delay: 200 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 5000 },
  });

  return {
    kind: 'bullmq',
    async enqueue(name, payload, o: JobOptions = {}) {
      await queue.add(name, payload, defaults(o));
    },
    async run<T>(name: string, payload: unknown, o: JobOptions & { onProgress?: (e: ProgressEvent) => void } = {}) {
      const job = await queue.add(name, payload, { ...defaults(o), attempts: o.attempts ?? 1 });
      const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
        if (jobId === job.id && o.onProgress && typeof data === 'object' && data) o.onProgress(data as ProgressEvent);
      };
      events.on('progress', onProgress);
      try {
        return (await job.waitUntilFinished(events)) as T;
      } finally {
        events.off('progress', onProgress);
      }
    },
    async idle() {
      for (;;) {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(c).every((n) => n === 0)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async ping() {
      return (await producerConnection.ping()) === 'PONG';
    },
    async counts() {
      return queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
    },
    async close() {
      await worker?.close();
      await events.close();
      await queue.close();
      await Promise.all([workerConnection, producerConnection, eventsConnection].map((c) => c.quit().catch(() => {})));
    },
  };
}
