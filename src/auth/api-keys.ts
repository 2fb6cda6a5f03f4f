import type { Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import type { Principal, Role } from './roles.js';
import { randomToken, tokenHash } from './tokens.js';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  created_by: string | null;
  created_by_key: string | null;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, prefix, role, created_by, created_by_key, created_at, last_used_at, expires_at, revoked_at';
export const API_KEY_PREFIX = 'sk_sanad_';

/** Returns the key in clear exactly once; only its hash is stored. */
export async function createApiKey(
  db: Queryable,
  input: { name: string; role: Role; createdBy?: string; createdByKey?: string; expiresInDays?: number | null },
): Promise<{ key: string; apiKey: ApiKey }> {
  const key = `${API_KEY_PREFIX}${randomToken(24)}`;
  const apiKey = (await one<ApiKey>(
    db,
    `INSERT INTO api_keys (name, prefix, key_hash, role, created_by, created_by_key, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(days => $7::int) END)
     RETURNING ${COLUMNS}`,
    [
      input.name,
      key.slice(0, API_KEY_PREFIX.length + 4),
      tokenHash(key),
      input.role,
      input.createdBy ?? null,
      input.createdByKey ?? null,
      input.expiresInDays ?? null,
    ],
  )) as ApiKey;
  return { key, apiKey };
}

// How stale `last_used_at` may be: it says whether a key is still in use, not each request's time.
const LAST_USED_EVERY_MS = 60_000;

/**
 * The key's principal, read (not written) on each request: a write per request was a commit on
 * the one row every call with that key touches, which serialised them on Postgres. A revoked or
 * expired key is refused at once; `last_used_at` is written when it is a minute old.
 */
export async function principalForApiKey(db: Queryable, key: string): Promise<Principal | undefined> {
  const row = await one<{ id: string; role: Role; name: string; stale: boolean }>(
    db,
    `SELECT id, role, name, (last_used_at IS NULL OR last_used_at < now() - ($2 || ' milliseconds')::interval) AS stale
     FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [tokenHash(key), String(LAST_USED_EVERY_MS)],
  );
  if (!row) return undefined;
  if (row.stale) await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.id]);
  return { kind: 'api_key', id: row.id, role: row.role, name: row.name };
}

/** The role of the staff member who created a key, if they still have an enabled account. */
export async function creatorRole(db: Queryable, keyId: string): Promise<Role | null | undefined> {
  const row = await one<{ created_by: string | null; role: Role | null }>(
    db,
    `SELECT k.created_by, s.role FROM api_keys k LEFT JOIN staff s ON s.id = k.created_by AND s.disabled_at IS NULL
     WHERE k.id = $1`,
    [keyId],
  );
  if (!row?.created_by) return undefined; // minted by a key, or by nobody recorded
  return row.role; // null: the creator's account is disabled
}

export async function listApiKeys(db: Queryable): Promise<ApiKey[]> {
  return db.query<ApiKey>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at`);
}

export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
    [id],
  );
  return rows.length > 0;
}
