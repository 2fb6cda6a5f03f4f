import { randomBytes } from 'node:crypto';
import { buildService } from '../../src/modules.js';
import { compose } from '../../src/platform/compose.js';
import { loadConfig } from '../../src/platform/config.js';
import { throwawayDatabase } from '../../src/platform/db/throwaway.js';
import { silentLog } from '../helpers/backends.js';

/** The whole service on a throw-away database of `databaseUrl`, its jobs on `redisUrl`. */
export async function faultService(databaseUrl: string, redisUrl: string, config: Record<string, string> = {}) {
  const db = await throwawayDatabase(databaseUrl);
  const service = await compose(
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, ...config }),
    silentLog,
    buildService({ print: () => {} }),
    { db, prefix: `sanad-faults-${randomBytes(4).toString('hex')}` },
  );
  return {
    db,
    service,
    async close() {
      try {
        await service.close();
      } finally {
        await db.close();
      }
    },
  };
}

/** One line a suite reports, found in CI's log by its prefix. */
export function report(suite: string, figures: Record<string, number | string>) {
  const text = Object.entries(figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  process.stdout.write(`faults: ${suite}: ${text}\n`);
}

export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
