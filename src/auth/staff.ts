import type { Db, Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import { hashPassword } from './password.js';
import type { Role } from './roles.js';

export interface Staff {
  id: string;
  email: string;
  name: string;
  role: Role;
  team: string | null;
  created_at: Date;
}

const COLUMNS = 'id, email, name, role, team, created_at';

export async function createStaff(
  db: Queryable,
  input: { email: string; name: string; role: Role; password: string; team?: string | null },
): Promise<Staff> {
  const hash = await hashPassword(input.password);
  const row = await one<Staff>(
    db,
    `INSERT INTO staff (email, name, role, team, password_hash) VALUES (lower($1), $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [input.email, input.name, input.role, input.team ?? null, hash],
  );
  return row as Staff;
}

export async function findStaffForLogin(db: Queryable, email: string) {
  return one<Staff & { password_hash: string }>(
    db,
    `SELECT ${COLUMNS}, password_hash FROM staff WHERE email = lower($1) AND disabled_at IS NULL`,
    [email],
  );
}

export async function findStaffByEmail(db: Queryable, email: string) {
  return one<Staff>(db, `SELECT ${COLUMNS} FROM staff WHERE email = lower($1)`, [email]);
}

export async function listStaff(db: Queryable): Promise<Staff[]> {
  return db.query<Staff>(`SELECT ${COLUMNS} FROM staff WHERE disabled_at IS NULL ORDER BY created_at`);
}

export async function countStaff(db: Queryable): Promise<number> {
  const row = await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM staff');
  return row?.n ?? 0;
}

/** Disables an account and ends all its sessions at once; false when no enabled account has the id. */
export async function disableStaff(db: Db, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query(
      'UPDATE staff SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL RETURNING id',
      [id],
    );
    if (rows.length === 0) return false;
    await tx.query('DELETE FROM staff_sessions WHERE staff_id = $1', [id]);
    return true;
  });
}
