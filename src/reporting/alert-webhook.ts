import { createHmac } from 'node:crypto';
import type { Db } from '../platform/db/db.js';
import type { Subscriber } from '../platform/events/outbox.js';
import { TOPIC_ALERTED, type TopicAlert } from './topic-alerts.js';

export const SIGNATURE_HEADER = 'x-sanad-signature';

/** `sha256=` and the hex HMAC-SHA256 of the exact bytes sent: the receiver checks it over its raw body. */
export const signatureOf = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

const TIMEOUT_MS = 10_000;

/**
 * Sends each raised topic alert to the configured URL as a signed JSON POST. It runs as an outbox
 * subscriber, so a failure (refused, 5xx, timeout) is retried by the event's dispatch and a crash
 * by the outbox sweep; the event id goes along so a receiver can drop a repeat.
 */
export function alertWebhook(db: Db, settings: { url: string; secret: string }): Subscriber {
  return {
    name: 'reporting.topic-alert-webhook',
    on: [TOPIC_ALERTED],
    async handle(event) {
      const alert = event.data as unknown as TopicAlert;
      const body = JSON.stringify({ type: TOPIC_ALERTED, eventId: event.id, alert });
      try {
        const response = await fetch(settings.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signatureOf(settings.secret, body),
            'x-sanad-event': TOPIC_ALERTED,
            'x-sanad-delivery': String(event.id),
          },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
        await db.query(
          'UPDATE topic_alerts SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1',
          [alert.id],
        );
      } catch (error) {
        await db.query('UPDATE topic_alerts SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
          alert.id,
          String((error as Error).message).slice(0, 500),
        ]);
        throw error;
      }
    },
  };
}
