import { OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../platform/http/env.js';
import { problems } from '../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Platform } from '../platform/module.js';
import { type ApiKey, createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { SESSION_COOKIE } from './middleware.js';
import { verifyPassword } from './password.js';
import { ROLES } from './roles.js';
import { createSession, deleteSession } from './sessions.js';
import { createStaff, findStaffByEmail, findStaffForLogin, listStaff, type Staff } from './staff.js';

const RoleSchema = z.enum(ROLES);
const StaffSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    team: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Staff');
const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
    role: RoleSchema,
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');
const ApiKeyCreated = z
  .object({
    key: z.string().openapi({ description: 'The key itself: shown this once, only its hash is stored' }),
    id: z.string(),
    role: RoleSchema,
  })
  .openapi('ApiKeyCreated');
const CallerSchema = z
  .object({ kind: z.enum(['staff', 'api_key']), id: z.string(), role: RoleSchema, name: z.string() })
  .openapi('Caller');

const iso = (d: Date) => new Date(d).toISOString();
const isoOrNull = (d: Date | null) => (d ? iso(d) : null);

/** Explicit mappers: the API answers camelCase whatever the columns are called, and never more than listed. */
const staffOut = (s: Staff) => ({
  id: s.id,
  email: s.email,
  name: s.name,
  role: s.role,
  team: s.team,
  createdAt: iso(s.created_at),
});
const apiKeyOut = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  createdAt: iso(k.created_at),
  lastUsedAt: isoOrNull(k.last_used_at),
  revokedAt: isoOrNull(k.revoked_at),
});

/** The body limit and the JSON-only check run before every POST route, with or without a body schema. */
const writeProblems = {
  413: problemResponse('The body is larger than BODY_LIMIT_BYTES (body-too-large)'),
  415: problemResponse('The body is not application/json (unsupported-media-type)'),
};
// A public route gets no 401 from route(), but authentication still refuses a bad bearer token.
const invalidKey = problemResponse(
  'The bearer token is an unknown or revoked API key (invalid-api-key) or customer token (invalid-customer-token)',
);
const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';
const staffExists = (email: string) =>
  problems.conflict('staff-exists', `A staff account with the email ${email} already exists.`);

export function authRoutes(deps: Platform) {
  const { db, config } = deps;
  const app = new OpenAPIHono<AppEnv>();
  const secure = config.COOKIE_SECURE ?? config.NODE_ENV === 'production';

  app.openapi(
    route('public', {
      method: 'post',
      path: '/v1/auth/login',
      tags: ['auth'],
      summary: 'Log in to the consoles with email and password (sets a session cookie)',
      request: { body: jsonBody(z.strictObject({ email: z.email(), password: z.string().min(1).max(1024) })) },
      responses: {
        200: jsonResponse(z.object({ staff: StaffSchema }), 'Logged in'),
        401: problemResponse(
          'Wrong email or password (bad-credentials), or an unknown bearer token (invalid-api-key, invalid-customer-token)',
        ),
        ...writeProblems,
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const staff = await findStaffForLogin(db, email);
      if (!staff || !(await verifyPassword(password, staff.password_hash))) throw problems.badCredentials();
      const token = await createSession(db, staff.id, config.SESSION_TTL_HOURS);
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        path: '/',
        maxAge: Math.round(config.SESSION_TTL_HOURS * 3600),
      });
      return c.json({ staff: staffOut(staff) }, 200);
    },
  );

  app.openapi(
    route('public', {
      method: 'post',
      path: '/v1/auth/logout',
      tags: ['auth'],
      summary: 'End the console session',
      responses: { 204: { description: 'Logged out' }, 401: invalidKey, ...writeProblems },
    }),
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await deleteSession(db, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  app.openapi(
    route(ROLES, {
      method: 'get',
      path: '/v1/auth/me',
      tags: ['auth'],
      summary: 'Who is calling',
      responses: {
        200: jsonResponse(CallerSchema, 'The caller'),
      },
    }),
    (c) => {
      const p = c.get('principal')!;
      return c.json({ kind: p.kind, id: p.id, role: p.role, name: p.name }, 200);
    },
  );

  app.openapi(
    route(['admin', 'supervisor'], {
      method: 'get',
      path: '/v1/staff',
      tags: ['staff'],
      summary: 'List staff accounts',
      responses: { 200: jsonResponse(z.object({ staff: z.array(StaffSchema) }), 'Staff') },
    }),
    async (c) => c.json({ staff: (await listStaff(db)).map(staffOut) }, 200),
  );

  app.openapi(
    route(['admin'], {
      method: 'post',
      path: '/v1/staff',
      tags: ['staff'],
      summary: 'Create a staff account',
      request: {
        body: jsonBody(
          z.strictObject({
            email: z.email(),
            name: z.string().min(1).max(200),
            role: RoleSchema,
            team: z.string().min(1).max(100).optional(),
            password: z.string().min(12, 'must be at least 12 characters').max(1024),
          }),
        ),
      },
      responses: {
        201: jsonResponse(z.object({ staff: StaffSchema }), 'Created'),
        409: problemResponse('The email is taken (staff-exists)'),
        ...writeProblems,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      if (await findStaffByEmail(db, input.email)) throw staffExists(input.email);
      try {
        return c.json({ staff: staffOut(await createStaff(db, input)) }, 201);
      } catch (error) {
        // Two creates racing for one email: the unique index decides, the loser gets the same 409.
        if (isUniqueViolation(error)) throw staffExists(input.email);
        throw error;
      }
    },
  );

  app.openapi(
    route(['admin'], {
      method: 'get',
      path: '/v1/api-keys',
      tags: ['staff'],
      summary: 'List API keys (never the keys themselves)',
      responses: { 200: jsonResponse(z.object({ apiKeys: z.array(ApiKeySchema) }), 'API keys') },
    }),
    async (c) => {
      return c.json({ apiKeys: (await listApiKeys(db)).map(apiKeyOut) }, 200);
    },
  );

  app.openapi(
    route(['admin'], {
      method: 'post',
      path: '/v1/api-keys',
      tags: ['staff'],
      summary: 'Create an API key for an integration; the key is shown once',
      request: { body: jsonBody(z.strictObject({ name: z.string().min(1).max(200), role: RoleSchema })) },
      responses: { 201: jsonResponse(ApiKeyCreated, 'Created'), ...writeProblems },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const p = c.get('principal')!;
      const { key, apiKey } = await createApiKey(db, { ...input, createdBy: p.kind === 'staff' ? p.id : undefined });
      return c.json({ key, id: apiKey.id, role: apiKey.role }, 201);
    },
  );

  app.openapi(
    route(['admin'], {
      method: 'delete',
      path: '/v1/api-keys/{id}',
      tags: ['staff'],
      summary: 'Revoke an API key',
      request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: {
        204: { description: 'Revoked' },
        404: problemResponse('No such key, or it is already revoked'),
        413: writeProblems[413],
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await revokeApiKey(db, id))) throw problems.notFound('API key', id);
      return c.body(null, 204);
    },
  );

  return app;
}
