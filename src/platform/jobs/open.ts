import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { bullmqRunner } from './bullmq.js';
import { inProcessRunner } from './in-process.js';
import type { JobHandler, JobRunner } from './jobs.js';

/** BullMQ when REDIS_URL is set, else the in-process runner. */
export async function openJobRunner(
  config: Pick<Config, 'REDIS_URL' | 'JOB_CONCURRENCY'>,
  handlers: Map<string, JobHandler>,
  log: Logger,
  options: { prefix?: string } = {},
): Promise<JobRunner> {
  if (config.REDIS_URL) {
    return bullmqRunner(handlers, log, {
      url: config.REDIS_URL,
      concurrency: config.JOB_CONCURRENCY,
      prefix: options.prefix,
    });
  }
  return inProcessRunner(handlers, log, config.JOB_CONCURRENCY);
}
