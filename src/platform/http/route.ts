import type { RouteConfig } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { requireRoles } from '../../auth/middleware.js';
import type { Role } from '../../auth/roles.js';

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
 * Every API route says which roles it admits (`'public'` for none needed). The roles are
 * enforced by middleware and published in the OpenAPI document as `x-roles`.
 */
export function route<R extends Omit<RouteConfig, 'middleware'>>(roles: readonly Role[] | 'public', config: R) {
  const secured = roles !== 'public';
  return createRoute({
    ...config,
    ...(secured ? { middleware: [requireRoles(roles)] as const, security: [{ session: [] }, { apiKey: [] }] } : {}),
    'x-roles': secured ? [...roles] : [],
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
