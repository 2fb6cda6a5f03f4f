import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Module, Platform } from '../module.js';
import { admission } from './admission.js';
import type { AppEnv } from './env.js';
import { errorHandler, zodIssuesToProblem } from './errors.js';
import { hasMetricsToken } from './metrics-access.js';
import { corsOrigin } from './origins.js';
import { problems } from './problem.js';
import { systemRoutes } from './system-routes.js';

// No inline script anywhere but the API docs page (Swagger UI starts itself inline).
const defaultCsp = (path: string) =>
  `default-src 'self'; script-src 'self'${path === '/docs' ? " 'unsafe-inline'" : ''}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'`;

/** The Hono app: cross-cutting middleware first, then each module's middleware and routes. */
export function createApp(platform: Platform, modules: Module[] = []) {
  const { config, log, metrics } = platform;
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw zodIssuesToProblem(result.error.issues as never);
    },
  });

  app.onError(errorHandler(log));
  app.notFound((c) => {
    throw problems.notFound('Route', `${c.req.method} ${c.req.path}`);
  });

  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    // Paths only, never query strings or bodies: they can carry personal data.
    log.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
      },
      'request',
    );
  });
  // The widget's script is loaded by other sites' pages: everything else stays same-origin.
  const embeddable = secureHeaders({ crossOriginResourcePolicy: 'cross-origin' });
  const sameOrigin = secureHeaders();
  app.use((c, next) => (c.req.path.startsWith('/widget/') ? embeddable(c, next) : sameOrigin(c, next)));
  app.use(
    '/v1/*',
    cors({
      origin: corsOrigin(config),
      credentials: true,
      // Last-Event-ID: the widget resumes its feed over fetch (EventSource cannot send a token).
      allowHeaders: ['Content-Type', 'Authorization', 'X-Api-Key', 'Idempotency-Key', 'Last-Event-ID'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    }),
  );
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: config.BODY_LIMIT_BYTES,
      onError: () => {
        throw problems.bodyTooLarge(config.BODY_LIMIT_BYTES);
      },
    }),
  );
  app.use('/v1/*', async (c, next) => {
    // Writes take JSON only; any other body would silently skip validation.
    const type = c.req.header('content-type');
    const hasBody = c.req.raw.body !== null && c.req.header('content-length') !== '0';
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && hasBody && !/^application\/json\b/i.test(type ?? '')) {
      throw problems.unsupportedMediaType(type);
    }
    await next();
  });
  // Before authentication: checking a token is a query, and on PGlite queries wait in one line
  // behind the turns, so requests held there would pile up unseen by the gate.
  const turns = admission({
    concurrency: config.TURN_CONCURRENCY,
    queue: config.TURN_QUEUE,
    maxWaitMs: config.TURN_QUEUE_WAIT_MS,
  });
  app.use('/v1/conversations/:id/messages', (c, next) =>
    c.req.method === 'POST' ? turns.middleware(c, next) : next(),
  );
  for (const m of modules) for (const mw of m.middleware ?? []) app.use('/v1/*', mw);

  // /metrics admits METRICS_TOKEN or an admin: the modules' authentication finds the admin,
  // and is skipped for the token (which is no API key).
  for (const m of modules) {
    for (const mw of m.middleware ?? [])
      app.use('/metrics', (c, next) => (hasMetricsToken(c, config) ? next() : mw(c, next)));
  }
  app.use(async (c, next) => {
    await next();
    // Answers for a signed-in caller or carrying a token are never kept by browsers or proxies.
    if (
      c.req.path.startsWith('/v1/') ||
      c.req.path === '/metrics' ||
      /\bsanad_session=/.test(c.req.header('cookie') ?? '')
    ) {
      c.res.headers.set('cache-control', 'no-store');
    }
    // Pages set their own policy with a nonce (src/web/csp.ts); anything else gets a strict one.
    if (!c.res.headers.has('content-security-policy'))
      c.res.headers.set('content-security-policy', defaultCsp(c.req.path));
  });

  app.route('/', systemRoutes(platform, modules));
  for (const m of modules) if (m.routes) app.route('/', m.routes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sanad_session',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'customerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A customer token (ct_sanad_…) for exactly one conversation, as the widget holds',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sanad API',
      version: '0.1.0',
      description:
        'Arabic-first customer-service bot and agent copilot. JSON fields are camelCase. Errors are application/problem+json. Live feeds are text/event-stream, resumable with Last-Event-ID.',
    },
  });
  return app;
}
