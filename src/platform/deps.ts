import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Config } from './config.js';
import type { Db } from './db/db.js';
import type { Metrics } from './http/metrics.js';
import type { JobRunner } from './jobs/jobs.js';
import type { Logger } from './log.js';

/** What the composition root hands to every feature. */
export interface Deps {
  config: Config;
  db: Db;
  jobs: JobRunner;
  log: Logger;
  metrics: Metrics;
  kb: KnowledgeBase;
  /** Set when shutdown begins: /readyz answers 503 so load balancers stop sending traffic. */
  lifecycle: { draining: boolean };
}
