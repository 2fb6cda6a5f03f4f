import { OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Deps } from '../platform/deps.js';
import type { AppEnv } from '../platform/http/env.js';
import { problems } from '../platform/http/problem.js';
import { jsonBody, jsonResponse, route } from '../platform/http/route.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { SESSION_COOKIE } from './middleware.js';
import { verifyPassword } from './password.js';
import { ROLES } from './roles.js';
import { createSession, deleteSession } from './sessions.js';
import { createStaff, findStaffByEmail, findStaffForLogin, listStaff } from './staff.js';

const RoleSchema = z.enum(ROLES);
const StaffSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    team: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Staff');
const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    role: RoleSchema,
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const staffOut = (s: {
  id: string;
  email: string;
  name: string;
  role: (typeof ROLES)[number];
  team: string | null;
  created_at: Date;
}) => ({
  ...s,
  created_at: new Date(s.created_at).toISOString(),
});

export function authRoutes(deps: Deps) {
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
      responses: { 200: jsonResponse(z.object({ staff: StaffSchema }), 'Logged in') },
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
      const { password_hash: _, ...rest } = staff;
      return c.json({ staff: staffOut(rest) }, 200);
    },
  );

  app.openapi(
    route('public', {
      method: 'post',
      path: '/v1/auth/logout',
      tags: ['auth'],
      summary: 'End the console session',
      responses: { 204: { description: 'Logged out' } },
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
        200: jsonResponse(
          z.object({ kind: z.enum(['staff', 'api_key']), id: z.string(), role: RoleSchema, name: z.string() }),
          'The caller',
        ),
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
      responses: { 201: jsonResponse(z.object({ staff: StaffSchema }), 'Created') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      if (await findStaffByEmail(db, input.email)) {
        throw problems.conflict('staff-exists', `A staff account with the email ${input.email} already exists.`);
      }
      return c.json({ staff: staffOut(await createStaff(db, input)) }, 201);
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
      const keys = await listApiKeys(db);
      return c.json(
        {
          apiKeys: keys.map((k) => ({
            ...k,
            created_at: new Date(k.created_at).toISOString(),
            last_used_at: iso(k.last_used_at),
            revoked_at: iso(k.revoked_at),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    route(['admin'], {
      method: 'post',
      path: '/v1/api-keys',
      tags: ['staff'],
      summary: 'Create an API key for an integration; the key is shown once',
      request: { body: jsonBody(z.strictObject({ name: z.string().min(1).max(200), role: RoleSchema })) },
      responses: { 201: jsonResponse(z.object({ key: z.string(), id: z.string(), role: RoleSchema }), 'Created') },
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
      request: { params: z.object({ id: z.uuid() }) },
      responses: { 204: { description: 'Revoked' }, 404: { description: 'Unknown key' } },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await revokeApiKey(db, id))) throw problems.notFound('API key', id);
      return c.body(null, 204);
    },
  );

  return app;
}
