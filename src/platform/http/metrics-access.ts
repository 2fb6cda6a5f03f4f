import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { Config } from '../config.js';

/** Whether the request carries `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). */
export function hasMetricsToken(c: Context, config: Pick<Config, 'METRICS_TOKEN'>): boolean {
  const expected = config.METRICS_TOKEN;
  const given = c.req
    .header('authorization')
    ?.match(/^Bearer\s+(.+)$/i)?.[1]
    ?.trim();
  if (!expected || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
