import type { Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import type { Principal, Role } from './roles.js';
import { randomToken, tokenHash } from './tokens.js';

export async function createSession(db: Queryable, staffId: string, ttlHours: number): Promise<string> {
  const token = randomToken();
  await db.query(
    `INSERT INTO staff_sessions (token_hash, staff_id, expires_at) VALUES ($1, $2, now() + ($3 || ' hours')::interval)`,
    [tokenHash(token), staffId, String(ttlHours)],
  );
  return token;
}

export async function principalForSession(db: Queryable, token: string): Promise<Principal | undefined> {
  const row = await one<{ id: string; role: Role; name: string; team: string | null }>(
    db,
    `SELECT s.id, s.role, s.name, s.team FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id
     WHERE ss.token_hash = $1 AND ss.expires_at > now() AND s.disabled_at IS NULL`,
    [tokenHash(token)],
  );
  return row && { kind: 'staff', id: row.id, role: row.role, name: row.name, team: row.team };
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash(token)]);
}
