import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApiKey } from '../../src/auth/api-keys.js';
import type { Role } from '../../src/auth/roles.js';
import type { Db } from '../../src/platform/db/db.js';
import type { AppEnv } from '../../src/platform/http/env.js';

export type App = OpenAPIHono<AppEnv>;

/** One API key per role, for calling routes as each kind of staff. */
export async function keysByRole(db: Db): Promise<Record<Role, string>> {
  const out = {} as Record<Role, string>;
  for (const role of ['agent', 'editor', 'supervisor', 'admin'] as const) {
    out[role] = (await createApiKey(db, { name: `test-${role}`, role })).key;
  }
  return out;
}

export function call(
  app: App,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  return app.request(path, { method, headers, body });
}
