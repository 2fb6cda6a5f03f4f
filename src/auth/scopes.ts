import type { Role } from './roles.js';

/**
 * What each role may do, in words an administrator reads in GET /v1/api-keys. The routes
 * enforce it (`route(roles, …)` and the reads scoped by role); this list describes it.
 */
export const SCOPES: Readonly<Record<Role, readonly string[]>> = {
  agent: [
    'conversations:own',
    'conversations:write',
    'customer-tokens:create',
    'articles:read-published',
    'search',
    'desk',
  ],
  editor: ['articles:read-all', 'articles:write', 'articles:versions', 'search', 'knowledge-gaps'],
  supervisor: [
    'conversations:own',
    'conversations:write',
    'articles:read-published',
    'search',
    'reports',
    'staff:read',
  ],
  admin: [
    'conversations:own',
    'conversations:write',
    'articles:read-all',
    'articles:write',
    'articles:versions',
    'search',
    'reports',
    'staff:read',
    'staff:write',
    'api-keys:manage',
  ],
};

const RANK: Readonly<Record<Role, number>> = { agent: 1, editor: 1, supervisor: 2, admin: 3 };

/** Whether a holder of `holder` may mint a key of `wanted`: never above, and a key only below. */
export function mayMint(holder: Role, wanted: Role, byKey: boolean): boolean {
  return byKey ? RANK[wanted] < RANK[holder] : RANK[wanted] <= RANK[holder];
}

/** Roles that read drafts, archived articles, old versions and who edited them. */
export const ARTICLE_EDITORS: readonly Role[] = ['editor', 'admin'];
