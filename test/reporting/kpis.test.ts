/**
 * KPIs on the seeded day (test/reporting/world.ts), each expected value worked out by hand from
 * the seed: 7 conversations count (C1–C7). Runs on PGlite, and on Postgres with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerThreshold } from '../../src/bot/confidence.js';
import { reports } from '../../src/reporting/index.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';
import { seedWorld } from './world.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;
let world: Awaited<ReturnType<typeof seedWorld>>;

const RANGE = 'from=2026-01-10&to=2026-01-10';
const scope = { from: new Date('2026-01-10T00:00:00Z'), to: new Date('2026-01-11T00:00:00Z') };

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app();
  keys = await keysByRole(deps.db);
  world = await seedWorld(deps.db);
}, 120_000);
afterAll(async () => deps?.close());

async function kpis(query = '') {
  const res = await call(app, 'GET', `/v1/reports/kpis?${RANGE}${query}`, { key: keys.supervisor });
  expect(res.status).toBe(200);
  return res.json();
}

describe('KPIs over the seeded day', () => {
  it('containment: C1, C5, C7 of 7, and the API lists exactly those', async () => {
    const { overall } = await kpis();
    expect(overall.conversations).toBe(7);
    expect(overall.containment).toEqual({ contained: 3, rate: 3 / 7 });
    const res = await call(app, 'GET', `/v1/reports/kpis/containment?${RANGE}`, { key: keys.supervisor });
    const listed = await res.json();
    expect(listed.total).toBe(3);
    expect(listed.items.map((i: { conversationId: string }) => i.conversationId).sort()).toEqual(
      [world.c1, world.c5, world.c7].sort(),
    );
  });

  it('a conversation still with the bot counts as contained only once quiet for CONTAINMENT_IDLE_MINUTES', async () => {
    const service = reports(deps);
    // Five minutes after C7's answer, C7 (status bot) may still go on: C1 and C5 only.
    const early = await service.kpis(scope, undefined, new Date('2026-01-10T15:05:00Z'));
    expect(early.overall.containment.contained).toBe(2);
  });

  it('hand-off rate by reason (the first hand-off of each conversation)', async () => {
    const { overall } = await kpis();
    expect(overall.handoffs.conversations).toBe(3);
    expect(overall.handoffs.rate).toBeCloseTo(3 / 7, 10);
    expect(overall.handoffs.byReason).toEqual({
      negative_sentiment: { count: 1, rate: 1 / 7 },
      customer_request: { count: 1, rate: 1 / 7 },
      low_confidence: { count: 1, rate: 1 / 7 },
    });
  });

  it('first response times: bot 2,4,1,3,2,1,2 s; a person 600 and 120 s (the note does not count)', async () => {
    const { overall } = await kpis();
    expect(overall.firstResponse.bot.count).toBe(7);
    expect(overall.firstResponse.bot.avgSeconds).toBeCloseTo(15 / 7, 6);
    expect(overall.firstResponse.bot.medianSeconds).toBeCloseTo(2, 6);
    expect(overall.firstResponse.human).toEqual({ count: 2, avgSeconds: 360, medianSeconds: 360 });
  });

  it('resolution time: C2 1500 s, C4 600 s, C5 300 s', async () => {
    const { overall } = await kpis();
    expect(overall.resolution.resolved).toBe(3);
    expect(overall.resolution.avgSeconds).toBeCloseTo(800, 6);
  });

  it('first-contact resolution: of C1, C2, C4, C5, C7 only C4 and C5 had no repeat within the window', async () => {
    const { overall } = await kpis();
    expect(overall.firstContactResolution).toEqual({ ended: 5, resolvedFirstTime: 2, rate: 2 / 5, windowHours: 72 });
  });

  it('a shorter window: C7 is no longer repeated by C8 (43 h later)', async () => {
    const service = reports({ db: deps.db, config: { ...deps.config, FCR_WINDOW_HOURS: 24 } });
    const report = await service.kpis(scope);
    expect(report.overall.firstContactResolution.resolvedFirstTime).toBe(3);
  });

  it('CSAT, NPS, CES from the survey answers (not the day before)', async () => {
    const { overall } = await kpis();
    expect(overall.csat.responses).toBe(3);
    expect(overall.csat.satisfied).toBe(2);
    expect(overall.csat.rate).toBeCloseTo(2 / 3, 10);
    expect(overall.csat.average).toBeCloseTo(11 / 3, 6);
    // 7, 9, 6, 10: promoters 9 and 10, detractor 6 → (2 - 1) / 4.
    expect(overall.nps).toEqual({ responses: 4, promoters: 2, detractors: 1, score: 25 });
    expect(overall.ces).toEqual({ responses: 2, average: 3.5 });
  });

  it('suggestions, helpfulness votes and repeated complaints', async () => {
    const { overall } = await kpis();
    expect(overall.suggestions).toEqual({
      decided: 3,
      accepted: 1,
      edited: 1,
      rejected: 1,
      acceptanceRate: 1 / 3,
      editRate: 1 / 3,
      avgEditDistance: 10,
    });
    expect(overall.helpfulness).toEqual({ votes: 4, helpful: 2, notHelpful: 2, rate: 0.5 });
    // k2 complained in C2 and C5; k1 only in C4.
    expect(overall.repeatedComplaints).toEqual({ contacts: 1, conversations: 2 });
  });

  it('by channel and by language', async () => {
    const byChannel = await kpis('&by=channel');
    const ch = Object.fromEntries(byChannel.groups.map((g: { key: string }) => [g.key, g]));
    expect(Object.keys(ch).sort()).toEqual(['api', 'whatsapp', 'widget']);
    expect(ch.widget.conversations).toBe(4);
    expect(ch.widget.containment).toEqual({ contained: 2, rate: 0.5 });
    expect(ch.whatsapp.containment).toEqual({ contained: 1, rate: 0.5 });
    expect(ch.api.containment).toEqual({ contained: 0, rate: 0 });
    expect(ch.whatsapp.firstResponse.human.avgSeconds).toBe(600);
    const byLang = await kpis('&by=lang');
    const lang = Object.fromEntries(byLang.groups.map((g: { key: string }) => [g.key, g]));
    expect(lang.ar.conversations).toBe(4);
    expect(lang.en.conversations).toBe(3);
    expect(lang.ar.nps.score).toBe(25);
  });

  it('by team: hand-offs went to billing (C2, C4) and general (C3); the rest have no team', async () => {
    const { groups } = await kpis('&by=team');
    const team = Object.fromEntries(groups.map((g: { key: string | null }) => [String(g.key), g]));
    expect(team.billing.conversations).toBe(2);
    expect(team.general.conversations).toBe(1);
    expect(team.null.conversations).toBe(4);
    expect(team.billing.firstResponse.human.avgSeconds).toBe(360);
  });

  it('filters narrow every figure: widget in Arabic is C1 and C4', async () => {
    const { overall } = await kpis('&channel=widget&lang=ar');
    expect(overall.conversations).toBe(2);
    expect(overall.containment.contained).toBe(1);
    expect(overall.handoffs.byReason).toEqual({ low_confidence: { count: 1, rate: 0.5 } });
  });

  it('daily trend', async () => {
    const { daily } = await kpis();
    expect(daily).toEqual([{ day: '2026-01-10', conversations: 7, contained: 3, handedOff: 3 }]);
  });
});

describe('confidence threshold view', () => {
  it('precision against coverage from judged answers, with the threshold in force', async () => {
    const res = await call(app, 'GET', `/v1/reports/threshold?${RANGE}`, { key: keys.supervisor });
    expect(res.status).toBe(200);
    const view = await res.json();
    // Judged: C1 0.8 ✓ (helpful), C2 0.7 ✗ (not helpful, then a hand-off), C4 0.9 ✗, C7 0.85 ✓;
    // C5 0.65 nobody judged.
    expect(view.current).toBe(0.6);
    expect(view.inForce).toEqual({ ar: 0.6, en: 0.6 });
    expect(view.judged).toBe(4);
    expect(view.correct).toBe(2);
    const at = (t: number) => view.points.find((p: { threshold: number }) => Math.abs(p.threshold - t) < 1e-9);
    expect(at(0.6)).toMatchObject({ answered: 4, correct: 2, precision: 0.5, coverage: 1 });
    expect(at(0.75)).toMatchObject({ answered: 3, correct: 2, coverage: 0.75 });
    expect(at(0.75).precision).toBeCloseTo(2 / 3, 10);
    expect(at(0.85)).toMatchObject({ answered: 2, correct: 1, precision: 0.5 });
    expect(at(0.9)).toMatchObject({ answered: 1, correct: 0, precision: 0 });
    expect(at(0.95)).toMatchObject({ answered: 0, precision: null });
    // C4's low-confidence hand-off (0.4) is what a threshold of 0.4 would have answered instead.
    expect(at(0.4).handoffsAnswered).toBe(1);
    expect(at(0.45).handoffsAnswered).toBe(0);
  });
});

describe('the threshold in force per language', () => {
  it('marks each language its own threshold when target precisions differ', async () => {
    const config = { ...deps.config, ANSWER_TARGET_PRECISION_EN: 0.9, ANSWER_TARGET_PRECISION_AR: 0.8 };
    const service = reports({ db: deps.db, config });
    const inForce = { ar: answerThreshold(config, 'ar'), en: answerThreshold(config, 'en') };
    expect(inForce.ar).not.toBe(inForce.en);
    const all = await service.threshold(scope);
    expect(all.inForce).toEqual(inForce);
    expect(all.current).toBe(inForce.en);
    const arabic = await service.threshold({ ...scope, lang: 'ar' });
    expect(arabic.current).toBe(inForce.ar);
    // The curve has a point at each threshold in force, so its precision there can be read.
    expect(arabic.points.some((p) => p.threshold === inForce.ar)).toBe(true);
  });
});

describe('who may read reports, and bad periods', () => {
  it('supervisors and admins only', async () => {
    expect((await call(app, 'GET', '/v1/reports/kpis', { key: keys.admin })).status).toBe(200);
    expect((await call(app, 'GET', '/v1/reports/kpis', { key: keys.agent })).status).toBe(403);
    expect((await call(app, 'GET', '/v1/reports/kpis')).status).toBe(401);
  });

  it.each([
    ['period=fortnight', 'unknown-period', /24h, 7d, 30d, 90d/],
    ['from=2026-01-10', 'unbounded-range', /both from and to/],
    ['to=2026-01-10', 'unbounded-range', /only to/],
    ['from=2026-01-11&to=2026-01-10', 'reversed-range', /must be before/],
    ['from=2026-01-10T10:00:00Z&to=2026-01-10T10:00:00Z', 'reversed-range', /must be before/],
    ['from=yesterday&to=2026-01-10', 'invalid-date', /ISO 8601/],
    ['from=2020-01-01&to=2026-01-10', 'range-too-long', /at most 366 days/],
    ['period=7d&from=2026-01-01&to=2026-01-10', 'conflicting-period', /not both/],
  ])('%s → 400 %s', async (query, type, detail) => {
    for (const path of ['/v1/reports/kpis', '/v1/reports/handoffs', '/v1/reports/handoffs/export']) {
      const res = await call(app, 'GET', `${path}?${query}`, { key: keys.supervisor });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await res.json();
      expect(problem.type).toBe(`/problems/${type}`);
      expect(problem.detail).toMatch(detail);
    }
  });

  it('an unknown dimension is a validation problem', async () => {
    const res = await call(app, 'GET', '/v1/reports/kpis?by=weather', { key: keys.supervisor });
    expect(res.status).toBe(400);
    expect((await res.json()).type).toBe('/problems/validation-failed');
  });
});
