import type { Context } from 'hono';

/** RFC 9457 problem details. `type` is stable: clients may branch on it. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  body(instance?: string): ProblemBody {
    return {
      type: `/problems/${this.slug}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
      ...this.extra,
    };
  }
}

export const problems = {
  validation: (detail: string, errors: { path: string; message: string }[]) =>
    new Problem(400, 'validation-failed', 'The request is not valid', detail, { errors }),
  malformedJson: () =>
    new Problem(400, 'malformed-json', 'The body is not valid JSON', 'Send a well-formed JSON document in the body.'),
  unsupportedMediaType: (got: string | undefined) =>
    new Problem(
      415,
      'unsupported-media-type',
      'Unsupported content type',
      `This endpoint takes application/json; the request said ${got ? `"${got}"` : 'nothing'}. Set Content-Type: application/json.`,
    ),
  bodyTooLarge: (limit: number) =>
    new Problem(413, 'body-too-large', 'The body is too large', `Send at most ${limit} bytes (BODY_LIMIT_BYTES).`),
  unauthenticated: () =>
    new Problem(
      401,
      'unauthenticated',
      'Authentication required',
      'Log in at POST /v1/auth/login (session cookie) or send an API key as "Authorization: Bearer <key>".',
    ),
  badCredentials: () =>
    new Problem(401, 'bad-credentials', 'Wrong email or password', 'Check the email and password and try again.'),
  forbidden: (roles: readonly string[], role: string) =>
    new Problem(
      403,
      'forbidden',
      'Not allowed for your role',
      `This needs one of the roles ${roles.join(', ')}; you are ${role}.`,
    ),
  notFound: (what: string, id?: string) =>
    new Problem(
      404,
      'not-found',
      `${what} not found`,
      id ? `No ${what.toLowerCase()} has the id "${id}".` : `No such ${what.toLowerCase()}.`,
    ),
  conflict: (slug: string, detail: string, extra?: Record<string, unknown>) =>
    new Problem(409, slug, 'Conflict with the current state', detail, extra),
  unprocessable: (slug: string, title: string, detail: string, extra?: Record<string, unknown>) =>
    new Problem(422, slug, title, detail, extra),
  unavailable: (detail: string) => new Problem(503, 'unavailable', 'Service unavailable', detail),
  internal: () =>
    new Problem(
      500,
      'internal-error',
      'Something went wrong on our side',
      'The error was logged; try again, and report the request id if it persists.',
    ),
};

export function sendProblem(c: Context, problem: Problem): Response {
  const body = problem.body(c.req.path);
  const requestId = c.get('requestId' as never) as string | undefined;
  const headers: Record<string, string> = { 'content-type': 'application/problem+json; charset=utf-8' };
  // A problem that says when to come back (429, 503) says it in the header clients honour too.
  if (typeof problem.extra.retryAfter === 'number') headers['retry-after'] = String(problem.extra.retryAfter);
  return new Response(JSON.stringify(requestId ? { ...body, requestId } : body), { status: problem.status, headers });
}
