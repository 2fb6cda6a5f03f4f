import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import { pendingMigrations } from '../db/migrate.js';
import type { Module, Platform, ReadinessCheck } from '../module.js';
import type { AppEnv } from './env.js';
import { hasMetricsToken } from './metrics-access.js';
import { Problem, problems } from './problem.js';

// Served from the installed package so /docs works offline (no CDN).
const swaggerDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    const result = await fn();
    return result === false ? { ok: false } : { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Health, readiness, metrics and the API docs page. */
export function systemRoutes(deps: Platform, modules: Module[] = []) {
  const app = new Hono<AppEnv>();

  app.get('/livez', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const [database, jobs, migrations] = await Promise.all([
      check(() => deps.db.query('SELECT 1')),
      check(() => deps.jobs.ping()),
      check(async () => (await pendingMigrations(deps.db)).length === 0),
    ]);
    const own: Record<string, ReadinessCheck> = {};
    for (const m of modules) {
      if (!m.readiness) continue;
      try {
        own[m.name] = await m.readiness();
      } catch (error) {
        own[m.name] = { ok: false, essential: true, error: (error as Error).message };
      }
    }
    const checks = {
      database: { ...database, backend: deps.db.kind },
      jobs: { ...jobs, backend: deps.jobs.kind },
      migrations,
      ...own,
    };
    const failing = Object.values(own).filter((c) => !c.ok);
    const ready =
      !deps.lifecycle.draining && database.ok && jobs.ok && migrations.ok && !failing.some((c) => c.essential);
    const status = deps.lifecycle.draining ? 'draining' : !ready ? 'not_ready' : failing.length ? 'degraded' : 'ready';
    return c.json({ status, checks }, ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    if (!hasMetricsToken(c, deps.config)) {
      const principal = c.get('principal');
      if (!principal) {
        throw new Problem(
          401,
          'unauthenticated',
          'Authentication required',
          'Send Authorization: Bearer <METRICS_TOKEN> (set METRICS_TOKEN for the scraper), or call as an admin.',
        );
      }
      if (principal.role !== 'admin') throw problems.forbidden(['admin'], principal.role);
    }
    c.header('content-type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });

  app.use(
    '/vendor/swagger-ui-dist/*',
    serveStatic({
      root: relative(process.cwd(), swaggerDist),
      rewriteRequestPath: (p) => p.replace(/^\/vendor\/swagger-ui-dist/, ''),
    }),
  );
  app.get('/docs', swaggerUI({ url: '/openapi.json', baseUrl: '/vendor', title: 'Sanad API' }));
  return app;
}
