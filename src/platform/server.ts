import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Composed, compose } from './compose.js';
import type { Config } from './config.js';
import { claimDataDir } from './db/data-dir-lock.js';
import type { Logger } from './log.js';
import type { Module, Platform } from './module.js';

export interface Running<S> {
  service: Composed<S>;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/** Start order: data folder lock → compose (database, migrations, jobs, events, modules) → start hooks → HTTP. */
export async function startService<S extends { modules: Module[] }>(
  config: Config,
  log: Logger,
  build: (platform: Platform) => S,
): Promise<Running<S>> {
  const release = config.DATABASE_URL ? () => {} : claimDataDir(config.DATA_DIR);
  let service: Composed<S> | undefined;
  try {
    service = await compose(config, log, build);
    await service.start();
    const app = service.app();
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s as Server));
    });
    const port = (server.address() as AddressInfo).port;
    const ready = service;
    return {
      service: ready,
      port,
      server,
      async stop() {
        ready.platform.lifecycle.draining = true;
        // Finish in-flight requests (live feeds are cut after the grace), then jobs, then the database.
        const closed = new Promise<void>((r) => server.close(() => r()));
        const timer = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
        server.closeIdleConnections();
        await closed;
        clearTimeout(timer);
        await ready.close();
        release();
      },
    };
  } catch (error) {
    await service?.close().catch(() => {});
    release();
    throw error;
  }
}
