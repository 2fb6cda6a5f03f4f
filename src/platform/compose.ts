import type { Config } from './config.js';
import type { Db } from './db/db.js';
import { openDatabase } from './db/open.js';
import { inProcessBus, type LiveBus, redisBus } from './events/bus.js';
import { createEvents } from './events/outbox.js';
import { createApp } from './http/app.js';
import { createMetrics } from './http/metrics.js';
import { handlerOf, type JobHandler } from './jobs/jobs.js';
import { openJobRunner } from './jobs/open.js';
import type { Logger } from './log.js';
import type { Module, Platform } from './module.js';

const EVENT_SWEEP_MS = 15_000;
const PRUNE_MS = 3_600_000;

export interface ComposeOptions {
  /** A database opened (and migrated) by the caller: tests and scripts with a throw-away one. */
  db?: Db;
  /** Redis key prefix for jobs and the live bus (tests share one Redis). */
  prefix?: string;
}

export type Composed<S> = S & {
  platform: Platform;
  modules: Module[];
  app(): ReturnType<typeof createApp>;
  start(): Promise<void>;
  close(): Promise<void>;
};

/**
 * The one place dependencies are built, for the server, the scripts and the tests alike:
 * database, job runner, live bus and outbox, then the modules `build` returns, whose jobs and
 * subscribers are registered before anything runs.
 */
export async function compose<S extends { modules: Module[] }>(
  config: Config,
  log: Logger,
  build: (platform: Platform) => S,
  options: ComposeOptions = {},
): Promise<Composed<S>> {
  const db = options.db ?? (await openDatabase(config));
  const handlers = new Map<string, JobHandler>();
  let bus: LiveBus | undefined;
  try {
    const jobs = await openJobRunner(config, handlers, log, { prefix: options.prefix });
    bus = config.REDIS_URL ? await redisBus(config.REDIS_URL, log, options.prefix) : inProcessBus(log);
    const events = createEvents({ db, jobs, bus, log });
    const platform: Platform = {
      config,
      log,
      db,
      jobs,
      events,
      bus,
      metrics: createMetrics(),
      lifecycle: { draining: false },
    };
    const services = build(platform);
    handlers.set(events.dispatchJob.name, handlerOf(events.dispatchJob));
    for (const m of services.modules) {
      for (const p of m.jobs ?? []) {
        if (handlers.has(p.name)) throw new Error(`Two modules define the job ${p.name}`);
        handlers.set(p.name, handlerOf(p));
      }
      for (const s of m.subscribers ?? []) events.subscribe(s);
    }
    let app: ReturnType<typeof createApp> | undefined;
    const timers: NodeJS.Timeout[] = [];
    const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err) => log.warn({ err }, what)), ms);
      t.unref();
      timers.push(t);
    };
    return {
      ...services,
      platform,
      app: () => {
        app ??= createApp(platform, services.modules);
        return app;
      },
      async start() {
        for (const m of services.modules) await m.start?.();
        // Events a crash left undispatched are dispatched now, and later ones by the sweep.
        await events.sweep(0);
        every(EVENT_SWEEP_MS, 'event sweep', () => events.sweep(EVENT_SWEEP_MS));
        every(PRUNE_MS, 'event prune', () => events.prune(config.EVENTS_RETAIN_HOURS));
      },
      async close() {
        platform.lifecycle.draining = true;
        for (const t of timers) clearInterval(t);
        for (const m of [...services.modules].reverse()) await m.stop?.().catch((err) => log.warn({ err }, 'stop'));
        await jobs.close();
        await platform.bus.close();
        // A database handed in belongs to the caller, who closes it.
        if (!options.db) await db.close();
      },
    };
  } catch (error) {
    await bus?.close().catch(() => {});
    if (!options.db) await db.close().catch(() => {});
    throw error;
  }
}
