import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../log.js';
import { Problem, problems, sendProblem } from './problem.js';

/** The one place errors become responses: problem+json with a stable type. */
export function errorHandler(log: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof Problem) return sendProblem(c, error);
    if (error instanceof HTTPException) {
      if (error.status === 400 && /json/i.test(error.message)) return sendProblem(c, problems.malformedJson());
      if (error.status === 415) return sendProblem(c, problems.unsupportedMediaType(c.req.header('content-type')));
      return sendProblem(
        c,
        new Problem(error.status, `http-${error.status}`, error.message || 'Request failed', error.message),
      );
    }
    // Postgres class 22 (data exception: NUL, bad encoding, out of range, bad text form) means a
    // value from the request that no schema caught; the transaction rolled back. The input
    // guard names fields first; this is the net behind it, and logs the code only.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) {
      log.warn(
        { code, requestId: c.get('requestId' as never), path: c.req.path },
        'request value refused by the database',
      );
      return sendProblem(
        c,
        new Problem(
          400,
          'invalid-value',
          'A value in the request cannot be stored',
          'A value is out of range or is not valid text (for example a NUL character or a number too large); check the fields and send it again.',
        ),
      );
    }
    log.error({ err: error, requestId: c.get('requestId' as never), path: c.req.path }, 'unhandled error');
    return sendProblem(c, problems.internal());
  };
}

export function zodIssuesToProblem(
  issues: readonly { path: PropertyKey[]; message: string; code?: string; keys?: string[] }[],
) {
  const errors = issues.flatMap((i) => {
    const base = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys' && i.keys) {
      return i.keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: 'unknown field: remove it' }));
    }
    return [{ path: base || '(body)', message: i.message }];
  });
  return problems.validation(`Fix these fields: ${errors.map((e) => `${e.path} (${e.message})`).join('; ')}`, errors);
}
