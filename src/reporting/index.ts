import type { Module, Platform } from '../platform/module.js';
import { alertWebhook } from './alert-webhook.js';
import { reports } from './reports.js';
import { reportRoutes } from './routes.js';
import { checkTopicAlerts, type TopicAlertRule } from './topic-alerts.js';

export { SIGNATURE_HEADER, signatureOf } from './alert-webhook.js';
export { decodeCursor, encodeCursor, type HandoffLogEntry, type HandoffOutcome } from './handoff-log.js';
export type { KpiDimension, KpiGroup, KpiReport } from './kpis.js';
export { type Reports, reports } from './reports.js';
export { REPORT_ROLES } from './routes.js';
export { handoffScopeOf, PERIODS, type ReportScope, scopeOf } from './scope.js';
export type { ThresholdView } from './threshold.js';
export { checkTopicAlerts, type TopicAlert } from './topic-alerts.js';
export type { Transcript } from './transcript.js';

export function topicAlertRule(config: Platform['config']): TopicAlertRule {
  return {
    windowMinutes: config.TOPIC_ALERT_WINDOW_MINUTES,
    baselineWindows: config.TOPIC_ALERT_BASELINE_WINDOWS,
    factor: config.TOPIC_ALERT_FACTOR,
    minCount: config.TOPIC_ALERT_MIN_COUNT,
    negativeSentiment: config.NEGATIVE_SENTIMENT_THRESHOLD,
  };
}

/**
 * The supervisor's side: the hand-off log, KPIs, the confidence-threshold view and topic alerts,
 * read from what the inbox stored. Topic alerts are checked by a sweep and sent as a signed
 * webhook when one is configured.
 */
export function reportingModule(platform: Platform): Module {
  const { config, log } = platform;
  const service = reports(platform);
  let sweep: NodeJS.Timeout | undefined;
  const check = () =>
    checkTopicAlerts(platform, topicAlertRule(config)).catch((err) => log.warn({ err }, 'topic alert sweep'));
  return {
    name: 'reporting',
    routes: () => reportRoutes(service),
    subscribers:
      config.TOPIC_ALERT_WEBHOOK_URL && config.TOPIC_ALERT_WEBHOOK_SECRET
        ? [
            alertWebhook(platform.db, {
              url: config.TOPIC_ALERT_WEBHOOK_URL,
              secret: config.TOPIC_ALERT_WEBHOOK_SECRET,
            }),
          ]
        : [],
    async start() {
      sweep = setInterval(() => void check(), config.TOPIC_ALERT_CHECK_SECONDS * 1000);
      sweep.unref();
    },
    async stop() {
      clearInterval(sweep);
    },
  };
}
