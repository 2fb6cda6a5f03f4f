import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildService } from './modules.js';
import { type Config, ConfigError, loadConfig } from './platform/config.js';
import { DataDirInUseError } from './platform/db/data-dir-lock.js';
import { createLogger } from './platform/log.js';
import { type Running, startService } from './platform/server.js';

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  const started = performance.now();
  if (!config.DATABASE_URL && !existsSync(join(config.DATA_DIR, 'pglite'))) {
    // PGlite's initdb is the one silent step of a first start: say what is going on.
    process.stderr.write(`\n  First start: creating the embedded database in ${config.DATA_DIR} …\n`);
  }
  let running: Running<unknown>;
  try {
    running = await startService(config, log, buildService());
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(75);
    }
    throw error;
  }
  log.info(
    {
      port: running.port,
      database: running.service.platform.db.kind,
      jobs: running.service.platform.jobs.kind,
      liveBus: running.service.platform.bus.kind,
    },
    `Sanad listening on http://localhost:${running.port} (docs at /docs)`,
  );
  // The one line a newcomer needs, outside the JSON log.
  process.stdout.write(
    `\n  Ready in ${((performance.now() - started) / 1000).toFixed(1)} s.` +
      `\n  Open http://localhost:${running.port}/ : the demo shop with the chat in Arabic (/?locale=en for English).\n  API docs: http://localhost:${running.port}/docs\n\n`,
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 5000);
    force.unref();
    await running.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
