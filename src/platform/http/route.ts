import type { RouteConfig } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { type Access, admitsCustomer, requireAccess, rolesOf } from './caller.js';
import { inputGuard } from './input-guard.js';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/**
 * Every API route says whom it admits: staff roles, `'public'`, or roles plus the customer of
 * the conversation. Enforced by middleware and published in the OpenAPI document as `x-roles`
 * and `x-customer`. Every route's declared inputs also pass the input guard (NUL, broken
 * UTF-8, integers past 32 bits: a 400 naming the field) after the caller is admitted.
 */
export function route<R extends Omit<RouteConfig, 'middleware'>>(access: Access, config: R) {
  const secured = access !== 'public';
  const customer = admitsCustomer(access);
  const security = [{ session: [] }, { apiKey: [] }, ...(customer ? [{ customerToken: [] }] : [])];
  return createRoute({
    ...config,
    middleware: secured ? [requireAccess(access), inputGuard(config.request)] : [inputGuard(config.request)],
    ...(secured ? { security } : {}),
    'x-roles': [...rolesOf(access)],
    'x-customer': customer,
    responses: {
      ...config.responses,
      400: problemResponse('Invalid request'),
      ...(secured ? { 401: problemResponse('Not authenticated'), 403: problemResponse('Role not admitted') } : {}),
    },
  } as R);
}

/** JSON request body: strict objects reject unknown fields on writes. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { 'application/json': { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
