import type { Inbox } from '../../inbox/index.js';
import type { Config } from '../../platform/config.js';
import { overloaded } from '../../platform/http/admission.js';
import { defineJob, enqueueJob, processor } from '../../platform/jobs/jobs.js';
import type { Platform } from '../../platform/module.js';
import type { Surveys } from '../../surveys/index.js';
import type { Channel } from '../channel.js';
import { type GraphClient, graphClient } from './graph-client.js';
import { webhookHandler } from './inbound.js';
import { whatsappDeliverer } from './outbound.js';
import { parseWebhook } from './payload.js';
import { webhookRoutes } from './webhook-routes.js';

export { WEBHOOK_PATH } from './webhook-routes.js';

const webhookJob = defineJob('whatsapp-webhook', (p) => ({
  webhookId: Number((p as { webhookId: unknown }).webhookId),
}));

const ATTEMPTS = 5;
// A webhook not handled this long after it arrived lost its job; a handler holds it this long.
const STALE_MS = 30_000;
const CLAIM_MS = 5 * 60_000;
// After this many tries a webhook stays in the table with its last error, for a person to look at.
const MAX_TRIES = 10;

/**
 * WhatsApp Cloud API as a channel. Inbound: the signed webhook stores each payload and a job
 * hands its messages to the inbox and its statuses to the delivery records. Outbound: replies
 * formatted for WhatsApp, with reply buttons, split to fit, templated outside the 24-hour
 * window, at a bounded rate.
 */
export function whatsappChannel(
  platform: Platform,
  inbox: Inbox,
  surveys?: Surveys,
  options: { client?: GraphClient } = {},
): Channel {
  const { config, db, jobs, log } = platform;
  const settings = settingsOf(config);
  const client =
    options.client ??
    graphClient({
      graphUrl: config.WHATSAPP_GRAPH_URL,
      version: config.WHATSAPP_GRAPH_VERSION,
      phoneNumberId: settings.phoneNumberId,
      accessToken: settings.accessToken,
      sendsPerSecond: config.WHATSAPP_SENDS_PER_SECOND,
    });
  const handle = webhookHandler(platform, inbox, client, surveys);
  let sweep: NodeJS.Timeout | undefined;

  async function enqueue(webhookId: number, suffix = '') {
    await enqueueJob(jobs, webhookJob, { webhookId }, { jobId: `wa-hook-${webhookId}${suffix}`, attempts: ATTEMPTS });
  }

  async function accept(payload: unknown): Promise<void> {
    // A backlog past the bound means turns cannot keep up: refuse, Meta delivers it again later.
    const waiting = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM whatsapp_webhooks'))[0]?.n ?? 0;
    if (waiting >= platform.config.WHATSAPP_BACKLOG_MAX) throw overloaded(30, 'WhatsApp messages');
    const [row] = await db.query<{ id: string }>('INSERT INTO whatsapp_webhooks (payload) VALUES ($1) RETURNING id', [
      JSON.stringify(payload),
    ]);
    // Stored is safe: if the job cannot be queued now (Redis down), the sweep queues it.
    await enqueue(Number(row?.id)).catch((err) => log.warn({ err }, 'whatsapp webhook job not queued; the sweep will'));
  }

  async function handleWebhook({ webhookId }: { webhookId: number }): Promise<void> {
    const [row] = await db.query<{ payload: unknown }>(
      `UPDATE whatsapp_webhooks SET claimed_until = now() + ($2 || ' milliseconds')::interval, attempts = attempts + 1
       WHERE id = $1 AND (claimed_until IS NULL OR claimed_until < now()) RETURNING payload`,
      [webhookId, String(CLAIM_MS)],
    );
    if (!row) return; // handled already, or being handled by another worker
    try {
      const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
      const parsed = parseWebhook(payload, settings.phoneNumberId);
      const done = parsed.ok ? await handle(parsed.values) : { messages: 0, statuses: 0 };
      await db.query('DELETE FROM whatsapp_webhooks WHERE id = $1', [webhookId]);
      log.debug({ webhookId, ...done }, 'whatsapp webhook handled');
    } catch (error) {
      await db.query('UPDATE whatsapp_webhooks SET claimed_until = NULL, last_error = $2 WHERE id = $1', [
        webhookId,
        String((error as Error).message).slice(0, 500),
      ]);
      throw error;
    }
  }

  /** Queues webhooks stored but not handled (a crash, a lost job, a failed job). */
  async function recover(olderThanMs = STALE_MS): Promise<number> {
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM whatsapp_webhooks
       WHERE received_at < now() - ($1 || ' milliseconds')::interval AND attempts < $2
         AND (claimed_until IS NULL OR claimed_until < now())
       ORDER BY id LIMIT 1000`,
      [String(olderThanMs), MAX_TRIES],
    );
    const at = Date.now().toString(36);
    for (const { id } of rows) await enqueue(Number(id), `-s${at}`);
    if (rows.length > 0) log.info({ webhooks: rows.length }, 'handling whatsapp webhooks left over');
    return rows.length;
  }

  return {
    name: 'whatsapp',
    routes: () => webhookRoutes(platform, settings, accept),
    deliver: whatsappDeliverer(db, client, {
      publicUrl: config.PUBLIC_URL,
      template: config.WHATSAPP_TEMPLATE_NAME
        ? { name: config.WHATSAPP_TEMPLATE_NAME, languages: config.WHATSAPP_TEMPLATE_LANGUAGES }
        : undefined,
    }),
    jobs: [processor(webhookJob, handleWebhook)],
    async start() {
      await recover(0);
      sweep = setInterval(() => void recover().catch((err) => log.warn({ err }, 'whatsapp webhook sweep')), STALE_MS);
      sweep.unref();
    },
    async stop() {
      clearInterval(sweep);
    },
  };
}

function settingsOf(config: Config) {
  const { WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN } = config;
  if (!WHATSAPP_ACCESS_TOKEN || !WHATSAPP_PHONE_NUMBER_ID || !WHATSAPP_APP_SECRET || !WHATSAPP_VERIFY_TOKEN) {
    throw new Error('The WhatsApp channel needs its access token, phone number id, app secret and verify token');
  }
  return {
    accessToken: WHATSAPP_ACCESS_TOKEN,
    phoneNumberId: WHATSAPP_PHONE_NUMBER_ID,
    appSecret: WHATSAPP_APP_SECRET,
    verifyToken: WHATSAPP_VERIFY_TOKEN,
  };
}
