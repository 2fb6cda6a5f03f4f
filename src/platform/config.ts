import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Every setting Sanad reads from the environment; `.env.example` documents each one. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Loopback unless told otherwise: a plain `npm start` is not reachable from the network.
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql):\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  // Customer messages (REST and widget) handled at once per process, how many may wait behind
  // them and for how long; past that a 429 with Retry-After, so admitted ones keep their latency.
  TURN_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(8),
  TURN_QUEUE: z.coerce.number().int().min(0).max(100_000).default(64),
  TURN_QUEUE_WAIT_MS: z.coerce.number().int().min(10).default(5000),
  // WhatsApp webhooks stored but not yet handled past which new ones get a 429 (Meta retries later).
  WHATSAPP_BACKLOG_MAX: z.coerce.number().int().min(1).default(2000),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  MESSAGE_MAX_CHARS: z.coerce.number().int().min(1).default(4000),
  CORS_ORIGINS: csv.default([]),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  COOKIE_SECURE: bool.optional(),
  // Login throttling (429 with Retry-After): failures per account and per client address
  // within the window lock that account or address for the window.
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  // Behind a reverse proxy: take the client address from the last X-Forwarded-For hop.
  TRUST_PROXY: bool.default(false),
  // API keys expire after this many days unless created with their own expiresInDays.
  API_KEY_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  // /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (or an admin); unset: admins only.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  KNOWLEDGE_BASE_DIR: z.string().default('./knowledge-base'),
  LOAD_SAMPLE_KB: bool.default(true),
  // Articles of the folder that could not load (embedding endpoint down) are tried again after
  // this long, doubling up to 16 times as long, until all are in.
  KB_LOAD_RETRY_MS: z.coerce.number().int().min(50).default(15_000),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  CHAT_MODEL: z.string().default('gpt-4o-mini'),
  EMBEDDER: z.enum(['local', 'openai']).optional(),
  EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8).max(2000).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  // Model assists, each off by default and refused without a model (docs: README "Model assists"):
  // paraphrases of example questions generated at ingestion, follow-ups rewritten into standalone
  // questions, the best candidates reranked, and retrieval across languages with a multilingual
  // embedding model.
  LLM_PARAPHRASES: bool.default(false),
  LLM_PARAPHRASES_PER_ARTICLE: z.coerce.number().int().min(1).max(200).default(30),
  LLM_FOLLOW_UP_REWRITE: bool.default(false),
  LLM_RERANK: bool.default(false),
  LLM_RERANK_TOP: z.coerce.number().int().min(2).max(10).default(5),
  // A turn's assist call (rewrite, rerank) that takes longer is dropped for the local way.
  LLM_ASSIST_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  CROSS_LINGUAL_RETRIEVAL: bool.default(false),
  TURN_DEADLINE_MS: z.coerce.number().int().min(200).max(120_000).default(8000),
  CUSTOMER_TOKEN_TTL_HOURS: z.coerce.number().positive().default(24),
  EVENTS_RETAIN_HOURS: z.coerce.number().positive().default(72),
  LLM_MAX_CALLS_PER_CONVERSATION: z.coerce.number().int().min(0).default(30),
  ANSWER_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
  // Below ANSWER_THRESHOLD and at or above this, the bot asks "did you mean …?" with up to three
  // article titles and "talk to a person" instead of handing off at once (1 turns it off).
  CLARIFY_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.35),
  // Instead of a fixed ANSWER_THRESHOLD: the confidence that reached this answered precision on
  // the calibration sets of the customer's language, each held out in turn (src/bot/confidence.ts,
  // PRECISION_THRESHOLDS).
  ANSWER_TARGET_PRECISION: z.coerce.number().min(0.5).max(0.99).optional(),
  // The same, for one language only (overrides ANSWER_TARGET_PRECISION for it).
  ANSWER_TARGET_PRECISION_AR: z.coerce.number().min(0.5).max(0.99).optional(),
  ANSWER_TARGET_PRECISION_EN: z.coerce.number().min(0.5).max(0.99).optional(),
  NEGATIVE_SENTIMENT_THRESHOLD: z.coerce.number().min(-1).max(0).default(-0.6),
  SENSITIVE_TAGS: csv.default(['legal', 'cancellation']),
  DEFAULT_TEAM: z.string().default('general'),
  // A conversation waiting for a person longer than this is flagged and raised in the queue.
  SLA_WAIT_MINUTES: z.coerce.number().positive().default(10),
  // Surveys after a conversation is resolved: on which channels, how many get NPS and CES, for how long.
  SURVEY_CHANNELS: csv.default(['widget', 'whatsapp']),
  SURVEY_NPS_SAMPLE: z.coerce.number().min(0).max(1).default(0.3),
  SURVEY_CES_SAMPLE: z.coerce.number().min(0).max(1).default(0.3),
  SURVEY_TTL_HOURS: z.coerce.number().positive().default(72),
  // Reports (docs/reporting.md): a conversation still with the bot counts as ended after this
  // quiet time (containment); a new one on the same topic within FCR_WINDOW_HOURS is a repeat.
  CONTAINMENT_IDLE_MINUTES: z.coerce.number().positive().default(30),
  FCR_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(72),
  // Topic alerts: a tag's hand-offs or negative messages in the last window against the mean of
  // the windows before it; flagged at FACTOR times that mean and at least MIN_COUNT.
  TOPIC_ALERT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(60),
  TOPIC_ALERT_BASELINE_WINDOWS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  TOPIC_ALERT_FACTOR: z.coerce.number().min(1).default(3),
  TOPIC_ALERT_MIN_COUNT: z.coerce.number().int().min(1).default(5),
  TOPIC_ALERT_CHECK_SECONDS: z.coerce.number().int().min(5).default(60),
  // Where alerts are POSTed, signed with HMAC-SHA256 of the raw body (X-Sanad-Signature).
  TOPIC_ALERT_WEBHOOK_URL: z.url().optional(),
  TOPIC_ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  // Where customers reach this service (links to articles in replies, the widget's loader).
  PUBLIC_URL: z.url().optional(),
  // Web widget: the sites that may embed it, and the secret they sign visitors' ids with.
  WIDGET_ALLOWED_ORIGINS: csv.default([]),
  WIDGET_IDENTITY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  // WhatsApp Cloud API (the channel is on when the access token and phone number id are set).
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'must be the numeric phone number id').optional(),
  WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  WHATSAPP_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  WHATSAPP_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v23.0')
    .default('v23.0'),
  // Outside WhatsApp's 24-hour customer-service window only an approved template may go out.
  WHATSAPP_TEMPLATE_NAME: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'must be a template name: lowercase letters, digits and _')
    .optional(),
  WHATSAPP_TEMPLATE_LANGUAGES: csv.default([]),
  // Sends per second this process allows itself (Cloud API throughput is 80/s by default).
  WHATSAPP_SENDS_PER_SECOND: z.coerce.number().positive().max(1000).default(20),
});

// The channel is on when any of these is set, and then needs all of them.
const WHATSAPP_REQUIRED = [
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
] as const;

const checkedConfig = configSchema.superRefine((c, ctx) => {
  if (c.TOPIC_ALERT_WEBHOOK_URL && !c.TOPIC_ALERT_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['TOPIC_ALERT_WEBHOOK_SECRET'],
      message: 'required when TOPIC_ALERT_WEBHOOK_URL is set: alerts are signed with it',
    });
  }
  const set = WHATSAPP_REQUIRED.filter((k) => c[k] !== undefined);
  if (set.length > 0 && set.length < WHATSAPP_REQUIRED.length) {
    const missing = WHATSAPP_REQUIRED.filter((k) => c[k] === undefined);
    for (const key of missing) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `required for the WhatsApp channel (${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set); set it or unset the others`,
      });
    }
  }
  for (const key of ['LLM_PARAPHRASES', 'LLM_FOLLOW_UP_REWRITE', 'LLM_RERANK', 'CROSS_LINGUAL_RETRIEVAL'] as const) {
    if (c[key] && !llmConfigured(c)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'needs a model: set OPENAI_API_KEY or OPENAI_BASE_URL' });
    }
  }
  if (c.CROSS_LINGUAL_RETRIEVAL && c.EMBEDDER === 'local') {
    ctx.addIssue({
      code: 'custom',
      path: ['CROSS_LINGUAL_RETRIEVAL'],
      message:
        'needs a multilingual embedding model (EMBEDDER=openai, EMBEDDING_MODEL); the local embedder matches words, not meanings across languages',
    });
  }
  if (c.WHATSAPP_TEMPLATE_NAME && c.WHATSAPP_TEMPLATE_LANGUAGES.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['WHATSAPP_TEMPLATE_LANGUAGES'],
      message: 'name the language codes the template is approved in (for example ar,en_US)',
    });
  }
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the environment once at start; every bad variable is named with what to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checkedConfig.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}

/** WhatsApp is on when its settings are (the schema checks they come together). */
export function whatsappConfigured(config: Config): boolean {
  return Boolean(config.WHATSAPP_ACCESS_TOKEN && config.WHATSAPP_PHONE_NUMBER_ID);
}

export function llmConfigured(config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL'>): boolean {
  return Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
}
