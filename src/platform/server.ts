import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ensureFirstAdmin } from '../auth/bootstrap.js';
import { createEmbedder } from '../knowledge/embedders.js';
import { knowledgeBase } from '../knowledge/knowledge-base.js';
import type { Config } from './config.js';
import { claimDataDir } from './db/data-dir-lock.js';
import { openDatabase } from './db/open.js';
import type { Deps } from './deps.js';
import { createApp, type FeatureRoutes } from './http/app.js';
import { createMetrics } from './http/metrics.js';
import type { JobHandler } from './jobs/jobs.js';
import { openJobRunner } from './jobs/open.js';
import type { Logger } from './log.js';

export interface Feature {
  routes?: FeatureRoutes;
  /** Job handlers this feature defines, by job name. */
  jobs?: (deps: () => Deps) => Record<string, JobHandler>;
  /** Runs once after the database and job runner are up (for example loading the sample knowledge base). */
  onStart?: (deps: Deps) => Promise<void>;
}

export interface Running {
  deps: Deps;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/** Start order: data folder lock → database + migrations → jobs → first admin → HTTP. */
export async function startService(
  config: Config,
  log: Logger,
  features: Feature[],
  print = (t: string) => process.stderr.write(t),
): Promise<Running> {
  const release = config.DATABASE_URL ? () => {} : claimDataDir(config.DATA_DIR);
  let deps: Deps | undefined;
  try {
    const db = await openDatabase(config);
    const handlers = new Map<string, JobHandler>();
    for (const f of features) {
      for (const [name, handler] of Object.entries(f.jobs?.(() => deps as Deps) ?? {})) handlers.set(name, handler);
    }
    const jobs = await openJobRunner(config, handlers, log);
    deps = {
      config,
      db,
      jobs,
      log,
      metrics: createMetrics(),
      kb: knowledgeBase(db, createEmbedder(config)),
      lifecycle: { draining: false },
    };
    await ensureFirstAdmin(db, config, print);
    for (const f of features) await f.onStart?.(deps);
    const app = createApp(
      deps,
      features.flatMap((f) => (f.routes ? [f.routes] : [])),
    );
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s as Server));
    });
    const port = (server.address() as AddressInfo).port;
    const ready = deps;
    return {
      deps: ready,
      port,
      server,
      async stop() {
        ready.lifecycle.draining = true;
        // Finish in-flight requests, then jobs, then close the database.
        const closed = new Promise<void>((r) => server.close(() => r()));
        const timer = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(timer);
        await ready.jobs.close();
        await ready.db.close();
        release();
      },
    };
  } catch (error) {
    await deps?.jobs.close().catch(() => {});
    await deps?.db.close().catch(() => {});
    release();
    throw error;
  }
}
