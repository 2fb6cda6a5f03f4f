import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env.js';
import { problems } from './problem.js';

export const ROLES = ['agent', 'editor', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Staff signed in with a session, or an integration holding an API key. */
export interface Principal {
  kind: 'staff' | 'api_key';
  /** staff id, or api key id */
  id: string;
  role: Role;
  name: string;
  team?: string | null;
}

/**
 * A customer holding a token (the widget): for one conversation, and, when the site vouched
 * for who they are (`identified`), also for their contact's earlier conversations.
 */
export interface CustomerCaller {
  kind: 'customer';
  conversationId: string;
  contactId: string;
  identified: boolean;
  tokenId: string;
}

/**
 * Who a route admits: staff roles, `'public'`, or staff roles plus the customer whose token
 * names the conversation in the path (the route itself checks the conversation).
 */
export type Access = readonly Role[] | 'public' | { roles: readonly Role[]; customer: true };

export const rolesOf = (access: Access): readonly Role[] =>
  access === 'public' ? [] : Array.isArray(access) ? access : (access as { roles: readonly Role[] }).roles;
export const admitsCustomer = (access: Access) => typeof access === 'object' && 'customer' in access;

/** 401 without a caller, 403 (and no data) for a role or a kind of caller the route does not admit. */
export function requireAccess(access: Exclude<Access, 'public'>) {
  const roles = rolesOf(access);
  const customers = admitsCustomer(access);
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal');
    const customer = c.get('customer');
    if (customer) {
      if (!customers) throw problems.forbidden(roles, 'customer');
    } else {
      if (!principal) throw problems.unauthenticated();
      if (!roles.includes(principal.role)) throw problems.forbidden(roles, principal.role);
    }
    await next();
  });
}
