import type { Queryable } from '../platform/db/db.js';
import { type HandoffLogEntry, handoffLogPage, type LogCursor } from './handoff-log.js';
import type { HandoffScope } from './scope.js';

/** Rows read per query while exporting: memory holds one page, whatever the export's size. */
export const EXPORT_PAGE_ROWS = 500;

// Spreadsheets run a cell that starts with one of these as a formula; customers write questions.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180 quoting), defused against spreadsheet formula injection. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? String(value) : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (values: unknown[]) => `${values.map(csvField).join(',')}\r\n`;

const COLUMNS = [
  'handoff_id',
  'created_at',
  'reason',
  'confidence',
  'sentiment',
  'team',
  'priority',
  'channel',
  'lang',
  'wait_seconds',
  'agent',
  'outcome',
  'question',
  'candidates',
  'conversation_id',
];

const round = (n: number | null, digits = 3) => (n === null ? null : Number(n.toFixed(digits)));

function rowOf(e: HandoffLogEntry): unknown[] {
  return [
    e.id,
    e.createdAt,
    e.reason,
    round(e.confidence),
    round(e.sentiment),
    e.team,
    e.priority,
    e.channel,
    e.lang,
    e.waitSeconds,
    e.agent?.name ?? null,
    e.outcome,
    e.question,
    e.candidates.map((c) => `${c.articleId} (${round(c.score)})`).join('; '),
    e.conversationId,
  ];
}

/**
 * The hand-off log as CSV, produced page by page as the reader pulls: the next page is read only
 * when the client has taken the last one, so a slow download of a huge log holds one page.
 * Starts with a UTF-8 byte-order mark so spreadsheet programs read Arabic correctly.
 */
export function handoffCsv(db: Queryable, scope: HandoffScope, now = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: LogCursor | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(`\uFEFF${csvLine(COLUMNS)}`));
          return;
        }
        if (done) return;
        const page = await handoffLogPage(db, scope, { limit: EXPORT_PAGE_ROWS, after, now });
        if (page.entries.length > 0)
          controller.enqueue(encoder.encode(page.entries.map((e) => csvLine(rowOf(e))).join('')));
        if (!page.next) {
          done = true;
          controller.close();
          return;
        }
        after = page.next;
      },
    },
    { highWaterMark: 1 },
  );
}
