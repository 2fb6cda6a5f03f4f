import { answerThreshold } from '../bot/confidence.js';
import type { Platform } from '../platform/module.js';
import { containedConversations } from './containment.js';
import { handoffCsv } from './csv.js';
import { handoffEntry, handoffLogPage, type LogCursor } from './handoff-log.js';
import { type KpiDimension, kpiReport } from './kpis.js';
import type { HandoffScope, ReportScope } from './scope.js';
import { thresholdView } from './threshold.js';
import { recentAlerts } from './topic-alerts.js';
import { transcriptOf } from './transcript.js';

/**
 * What the supervisor's API and pages read, with the configured definitions filled in: one
 * business layer for both, so a page never shows a figure the API would not.
 */
export function reports(platform: Pick<Platform, 'db' | 'config'>) {
  const { db, config } = platform;
  const kpiSettings = (now: Date) => ({
    idleMinutes: config.CONTAINMENT_IDLE_MINUTES,
    fcrWindowHours: config.FCR_WINDOW_HOURS,
    negativeSentiment: config.NEGATIVE_SENTIMENT_THRESHOLD,
    now,
  });
  return {
    handoffLog: (scope: HandoffScope, options: { limit: number; after?: LogCursor }) =>
      handoffLogPage(db, scope, options),
    handoff: (id: string) => handoffEntry(db, id),
    handoffCsv: (scope: HandoffScope) => handoffCsv(db, scope),
    transcript: (conversationId: string) => transcriptOf(db, conversationId),
    kpis: (scope: ReportScope, by?: KpiDimension, now = new Date()) =>
      kpiReport(db, scope, { ...kpiSettings(now), by }),
    contained: (scope: ReportScope, page: { limit: number; offset: number }, now = new Date()) =>
      containedConversations(db, scope, {
        ...page,
        idleBefore: new Date(now.getTime() - config.CONTAINMENT_IDLE_MINUTES * 60_000),
      }),
    threshold: (scope: ReportScope) =>
      thresholdView(db, scope, { ar: answerThreshold(config, 'ar'), en: answerThreshold(config, 'en') }),
    alerts: (scope: ReportScope) => recentAlerts(db, scope.from),
  };
}

export type Reports = ReturnType<typeof reports>;
