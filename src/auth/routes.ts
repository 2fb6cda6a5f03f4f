import { OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../platform/http/env.js';
import { Problem, problems } from '../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Platform } from '../platform/module.js';
import { type ApiKey, createApiKey, creatorRole, listApiKeys, revokeApiKey } from './api-keys.js';
import { login, secureCookie } from './login.js';
import { SESSION_COOKIE } from './middleware.js';
import { passwordProblem } from './password-policy.js';
import { ROLES } from './roles.js';
import { mayMint, SCOPES } from './scopes.js';
import { createSession, deleteSession } from './sessions.js';
import { createStaff, disableStaff, findStaffByEmail, listStaff, type Staff } from './staff.js';

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
    scopes: z.array(z.string()).openapi({ description: 'What the key may do (its role’s scopes)' }),
    createdBy: z.string().nullable().openapi({ description: 'The staff member who created it' }),
    createdByKey: z.string().nullable().openapi({ description: 'The key that minted it, if a key did' }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');
const ApiKeyCreated = z
  .object({
    key: z.string().openapi({ description: 'The key itself: shown this once, only its hash is stored' }),
    id: z.string(),
    role: RoleSchema,
    scopes: z.array(z.string()),
    expiresAt: z.string().nullable(),
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
  scopes: [...SCOPES[k.role]],
  createdBy: k.created_by,
  createdByKey: k.created_by_key,
  createdAt: iso(k.created_at),
  lastUsedAt: isoOrNull(k.last_used_at),
  expiresAt: isoOrNull(k.expires_at),
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
const weakPassword = (message: string) =>
  new Problem(400, 'weak-password', 'The password is too weak', `Choose another password: it ${message}.`, {
    errors: [{ path: 'password', message }],
  });
const roleTooHigh = (wanted: string, holder: string) =>
  new Problem(
    403,
    'role-too-high',
    'A key cannot be minted with this role',
    `Caller ${holder} cannot mint a ${wanted} key: a staff member mints keys up to their own role, a key only below its own and its creator's.`,
  );
const tooManyAttemptsDoc = problemResponse(
  'Too many failed logins for the account or the address (too-many-attempts); see Retry-After',
);

export function authRoutes(deps: Platform) {
  const { db, config } = deps;
  const app = new OpenAPIHono<AppEnv>();

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
        429: tooManyAttemptsDoc,
        ...writeProblems,
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const staff = await login(c, db, config, email, password);
      const token = await createSession(db, staff.id, config.SESSION_TTL_HOURS);
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: secureCookie(config, c.req.url),
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
            password: z
              .string()
              .min(12, 'must be at least 12 characters')
              .max(1024)
              .openapi({ description: 'At least 12 characters, not a common password, not the email (weak-password)' }),
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
      const weak = passwordProblem(input.password, input.email);
      if (weak) throw weakPassword(weak);
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
      request: {
        body: jsonBody(
          z.strictObject({
            name: z.string().min(1).max(200),
            role: RoleSchema,
            expiresInDays: z
              .number()
              .int()
              .min(1)
              .max(3650)
              .optional()
              .openapi({
                description: `Days until it stops working (default API_KEY_TTL_DAYS, ${config.API_KEY_TTL_DAYS})`,
              }),
          }),
        ),
      },
      responses: {
        201: jsonResponse(ApiKeyCreated, 'Created'),
        403: problemResponse('Role not admitted, or a role above what the caller may mint (role-too-high)'),
        ...writeProblems,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const p = c.get('principal')!;
      const byKey = p.kind === 'api_key';
      // A key mints only below itself, and never above its creator's current role: an admin key
      // cannot mint admin keys that mint more, nor outlive its creator's demotion.
      let allowed = mayMint(p.role, input.role, byKey);
      if (allowed && byKey) {
        const creator = await creatorRole(db, p.id);
        if (creator === null || (creator && !mayMint(creator, input.role, false))) allowed = false;
      }
      if (!allowed) throw roleTooHigh(input.role, `${p.kind === 'staff' ? 'staff' : 'key'} ${p.role}`);
      const { key, apiKey } = await createApiKey(db, {
        name: input.name,
        role: input.role,
        createdBy: byKey ? undefined : p.id,
        createdByKey: byKey ? p.id : undefined,
        expiresInDays: input.expiresInDays ?? config.API_KEY_TTL_DAYS,
      });
      return c.json(
        {
          key,
          id: apiKey.id,
          role: apiKey.role,
          scopes: [...SCOPES[apiKey.role]],
          expiresAt: isoOrNull(apiKey.expires_at),
        },
        201,
      );
    },
  );

  app.openapi(
    route(['admin'], {
      method: 'post',
      path: '/v1/staff/{id}/disable',
      tags: ['staff'],
      summary: 'Disable a staff account: it can no longer log in and all its sessions end now',
      request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: {
        204: { description: 'Disabled; its sessions are ended' },
        404: problemResponse('No enabled staff account with this id'),
        409: problemResponse('An administrator cannot disable their own account (cannot-disable-self)'),
        413: writeProblems[413],
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const p = c.get('principal')!;
      if (p.kind === 'staff' && p.id === id) {
        throw problems.conflict('cannot-disable-self', 'Ask another administrator to disable your account.');
      }
      if (!(await disableStaff(db, id))) throw problems.notFound('Staff account', id);
      return c.body(null, 204);
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
