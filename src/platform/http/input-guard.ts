import type { RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { Problem, problems } from './problem.js';

/**
 * Checks every request value a route declares before its schema sees it, so no route has to
 * remember: Postgres refuses NUL in text (a 500 and a logged statement before this), lone
 * surrogates are what broken UTF-8 becomes, bytes that are not UTF-8 would be silently turned
 * into U+FFFD, and a number past Postgres `int` overflows in the query. Each is a 400 naming
 * the field; nothing has been written yet.
 */

const INT_MAX = 2_147_483_647;
const INT_MIN = -2_147_483_648;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_DEPTH = 64;

export interface InputIssue {
  path: string;
  message: string;
}

/** What is wrong with one string, if anything. */
export function textIssue(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000): remove it';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode text (a lone surrogate): send UTF-8';
  return undefined;
}

const intIssue = (n: number) =>
  Number.isInteger(n) && (n > INT_MAX || n < INT_MIN)
    ? `must be between ${INT_MIN} and ${INT_MAX}`
    : Number.isFinite(n)
      ? undefined
      : 'must be a finite number';

/** Issues in a parsed JSON value: bad strings (keys too) and integers past 32 bits. */
export function jsonIssues(value: unknown, path = '', out: InputIssue[] = [], depth = 0): InputIssue[] {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (typeof value === 'string') {
    const m = textIssue(value);
    if (m) out.push({ path: path || '(body)', message: m });
  } else if (typeof value === 'number') {
    const m = intIssue(value);
    if (m) out.push({ path: path || '(body)', message: m });
  } else if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [k, v] of entries) {
      const keyIssue = textIssue(k);
      if (keyIssue) out.push({ path: at(JSON.stringify(k).slice(1, -1)), message: `field name ${keyIssue}` });
      else jsonIssues(v, at(k), out, depth + 1);
    }
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: zod internals, read only to find number-typed fields
type AnySchema = { _zod?: { def?: any } } | undefined;

/** Whether a params/query field's schema (optional, default, pipe unwrapped) is a number. */
function isNumberField(schema: AnySchema): boolean {
  let def = schema?._zod?.def;
  for (let i = 0; def && i < 8; i++) {
    if (def.type === 'number' || def.type === 'int') return true;
    def = (def.innerType ?? def.in ?? def.schema)?._zod?.def;
  }
  return false;
}

function shapeOf(schema: unknown): Record<string, AnySchema> {
  return ((schema as { shape?: Record<string, AnySchema> } | undefined)?.shape ?? {}) as Record<string, AnySchema>;
}

export const invalidText = (issues: InputIssue[]) =>
  new Problem(
    400,
    'invalid-text',
    'The request holds text that is not valid',
    `Fix these fields: ${issues.map((i) => `${i.path} (${i.message})`).join('; ')}`,
    { errors: issues },
  );

const notUtf8 = () =>
  new Problem(
    400,
    'invalid-text',
    'The body is not valid UTF-8',
    'Encode the JSON body as UTF-8; bytes that are not UTF-8 are refused, not replaced.',
    { errors: [{ path: '(body)', message: 'is not valid UTF-8' }] },
  );

/** The guard for one route, built from its declared request parts. */
export function inputGuard(request: RouteConfig['request']): MiddlewareHandler {
  const paramShape = shapeOf(request?.params);
  const queryShape = shapeOf(request?.query);
  const takesJson = Boolean(request?.body?.content?.['application/json']);
  return async (c, next) => {
    const text: InputIssue[] = [];
    const numbers: InputIssue[] = [];
    const check = (path: string, value: string, schema: AnySchema) => {
      const m = textIssue(value);
      if (m) text.push({ path, message: m });
      else if (isNumberField(schema) && value.trim() !== '') {
        const n = intIssue(Number(value));
        if (n) numbers.push({ path, message: n });
      }
    };
    for (const [name, value] of Object.entries(c.req.param() as Record<string, string>)) {
      check(name, value, paramShape[name]);
    }
    for (const [name, values] of Object.entries(c.req.queries())) {
      for (const value of values) check(name, value, queryShape[name]);
    }
    if (text.length) throw invalidText(text);
    if (numbers.length) throw problems.validation(problemDetail(numbers), numbers);
    if (takesJson && /^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      const raw = await c.req.arrayBuffer();
      if (raw.byteLength > 0) {
        let decoded: string;
        try {
          decoded = new TextDecoder('utf-8', { fatal: true }).decode(raw);
        } catch {
          throw notUtf8();
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(decoded);
        } catch {
          parsed = undefined; // the route's validator answers malformed-json
        }
        const issues = jsonIssues(parsed);
        const bad = issues.filter((i) => !i.message.startsWith('must be'));
        if (bad.length) throw invalidText(bad);
        if (issues.length) throw problems.validation(problemDetail(issues), issues);
      }
    }
    await next();
  };
}

const problemDetail = (issues: InputIssue[]) =>
  `Fix these fields: ${issues.map((i) => `${i.path} (${i.message})`).join('; ')}`;
