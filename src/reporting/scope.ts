import { z } from '@hono/zod-openapi';
import { HANDOFF_REASONS, type HandoffReason } from '../bot/index.js';
import { Problem } from '../platform/http/problem.js';

/** The named periods a report may ask for; anything else is a 400 naming these. */
export const PERIODS = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24, '90d': 90 * 24 } as const;
export type PeriodName = keyof typeof PERIODS;

// A report over more than a year is an export job, not a dashboard query.
const MAX_RANGE_DAYS = 366;

/** What every report is over: a half-open time range [from, to) and optional filters. */
export interface ReportScope {
  from: Date;
  to: Date;
  channel?: string;
  team?: string;
  lang?: 'ar' | 'en';
}

export interface HandoffScope extends ReportScope {
  reason?: HandoffReason;
}

/** The query parameters every report takes; dates are checked by `scopeOf`, with problems that say what to fix. */
export const scopeQuery = z.object({
  period: z
    .string()
    .max(20)
    .optional()
    .openapi({ description: `One of ${Object.keys(PERIODS).join(', ')} (default 7d); or give from and to` }),
  from: z.string().max(40).optional().openapi({ description: 'Start (ISO 8601 date or time, inclusive); needs `to`' }),
  to: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: 'End (ISO 8601; a date alone means the end of that day); needs `from`' }),
  channel: z.string().max(50).optional(),
  team: z.string().max(100).optional(),
  lang: z.enum(['ar', 'en']).optional(),
});

export const handoffQuery = scopeQuery.extend({ reason: z.enum(HANDOFF_REASONS).optional() });

const badPeriod = (slug: string, title: string, detail: string) => new Problem(400, slug, title, detail);

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function dateOf(name: 'from' | 'to', value: string): Date {
  const parsed = new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed.getTime())) {
    throw badPeriod(
      'invalid-date',
      'The date is not valid',
      `"${name}" must be an ISO 8601 date or time such as 2025-03-01 or 2025-03-01T09:00:00Z.`,
    );
  }
  // A date alone as the end means the whole of that day.
  return name === 'to' && DATE_ONLY.test(value) ? new Date(parsed.getTime() + 86_400_000) : parsed;
}

/** The report's range from `period`, or from `from` and `to` together; never open-ended or reversed. */
export function scopeOf(query: z.infer<typeof scopeQuery>, now = new Date()): ReportScope {
  const { period, from, to, channel, team, lang } = query;
  const filters = { channel: channel || undefined, team: team || undefined, lang };
  if (from !== undefined || to !== undefined) {
    if (period !== undefined) {
      throw badPeriod(
        'conflicting-period',
        'Both a period and dates were given',
        'Give either period (24h, 7d, 30d, 90d) or from and to, not both.',
      );
    }
    if (from === undefined || to === undefined) {
      throw badPeriod(
        'unbounded-range',
        'The date range is open-ended',
        `Give both from and to (ISO 8601); only ${from === undefined ? 'to' : 'from'} was given.`,
      );
    }
    const start = dateOf('from', from);
    const end = dateOf('to', to);
    if (start.getTime() >= end.getTime()) {
      throw badPeriod('reversed-range', 'The date range is reversed', `from (${from}) must be before to (${to}).`);
    }
    if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * 86_400_000) {
      throw badPeriod(
        'range-too-long',
        'The date range is too long',
        `A report covers at most ${MAX_RANGE_DAYS} days; narrow from and to.`,
      );
    }
    return { from: start, to: end, ...filters };
  }
  const name = period ?? '7d';
  if (!(name in PERIODS)) {
    throw badPeriod(
      'unknown-period',
      'Unknown period',
      `period must be one of ${Object.keys(PERIODS).join(', ')}, or give from and to; "${name}" is not known.`,
    );
  }
  const hours = PERIODS[name as PeriodName];
  return { from: new Date(now.getTime() - hours * 3_600_000), to: now, ...filters };
}

export function handoffScopeOf(query: z.infer<typeof handoffQuery>, now = new Date()): HandoffScope {
  return { ...scopeOf(query, now), reason: query.reason };
}

/**
 * The filter conditions on a conversation (alias `c`), with their values appended to `params`,
 * so every report filters the same way.
 */
export function conversationFilters(scope: ReportScope, params: unknown[], c = 'c'): string {
  const parts: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', `$${params.length}`));
  };
  if (scope.channel) add(`${c}.channel = ?`, scope.channel);
  if (scope.team) add(`${c}.team = ?`, scope.team);
  if (scope.lang) add(`${c}.lang = ?`, scope.lang);
  return parts.map((p) => ` AND ${p}`).join('');
}
