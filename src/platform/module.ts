import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono, MiddlewareHandler } from 'hono';
import type { Config } from './config.js';
import type { Db } from './db/db.js';
import type { LiveBus } from './events/bus.js';
import type { Events, Subscriber } from './events/outbox.js';
import type { AppEnv } from './http/env.js';
import type { Metrics } from './http/metrics.js';
import type { JobProcessor, JobRunner } from './jobs/jobs.js';
import type { Logger } from './log.js';

/** What the core gives every module: nothing here knows a feature. */
export interface Platform {
  config: Config;
  log: Logger;
  db: Db;
  jobs: JobRunner;
  events: Events;
  bus: LiveBus;
  metrics: Metrics;
  /** Set when shutdown begins: /readyz answers 503 so load balancers stop sending traffic. */
  lifecycle: { draining: boolean };
}

/**
 * A module's part of /readyz. `essential`: while it fails the service is not ready (503); a
 * failing check that is not essential makes it 'degraded' (200: it still serves, worse).
 */
export interface ReadinessCheck {
  ok: boolean;
  essential: boolean;
  [detail: string]: unknown;
}

/** What a module declares; `compose()` wires each part into the core. */
export interface Module {
  name: string;
  /** Runs on every /v1 request before the routes (authentication). */
  middleware?: MiddlewareHandler<AppEnv>[];
  routes?: () => OpenAPIHono<AppEnv> | Hono<AppEnv>;
  // biome-ignore lint/suspicious/noExplicitAny: each processor parses its own payload type
  jobs?: JobProcessor<any>[];
  subscribers?: Subscriber[];
  /** Once the database, jobs and events are up, in module order (loading the sample, recovery). */
  start?: () => Promise<void>;
  /** Checked on every /readyz, under the module's name. */
  readiness?: () => ReadinessCheck | Promise<ReadinessCheck>;
  /** At shutdown, in reverse order, before jobs and the database close. */
  stop?: () => Promise<void>;
}
