/**
 * Try the WhatsApp channel without a Meta account: plays Meta on both sides of a running Sanad.
 * It starts a fake Graph API (records what Sanad sends, answers like Meta, then reports the
 * message delivered and read), and posts correctly signed webhooks as a customer would cause:
 * an Arabic question, a "not helpful" press on the answer's button, an English question and a
 * photo. It prints the conversation as the customer would see it.
 *
 *   Sanad, in one terminal (same secrets, Graph API pointed at the simulator):
 *     WHATSAPP_ACCESS_TOKEN=sim-token WHATSAPP_PHONE_NUMBER_ID=100000000000001 \
 *     WHATSAPP_APP_SECRET=sim-app-secret WHATSAPP_VERIFY_TOKEN=sim-verify-token \
 *     WHATSAPP_GRAPH_URL=http://127.0.0.1:4010 npm start
 *   The simulator, in another:
 *     npm run whatsapp:sim
 *
 * Options (or the environment variables in brackets): --url [SANAD_URL, http://localhost:3000],
 * --graph-port [SIM_GRAPH_PORT, 4010], --from [SIM_FROM, 966500000001], --name [SIM_NAME].
 * Secrets come from WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN and WHATSAPP_PHONE_NUMBER_ID,
 * with the defaults above.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { signatureOf } from '../src/channels/whatsapp/signature.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    'graph-port': { type: 'string' },
    from: { type: 'string' },
    name: { type: 'string' },
    quiet: { type: 'string' },
  },
});
const SANAD = (args.url ?? process.env.SANAD_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const GRAPH_PORT = Number(args['graph-port'] ?? process.env.SIM_GRAPH_PORT ?? 4010);
const FROM = args.from ?? process.env.SIM_FROM ?? '966500000001';
const NAME = args.name ?? process.env.SIM_NAME ?? 'سارة';
const APP_SECRET = process.env.WHATSAPP_APP_SECRET ?? 'sim-app-secret';
const VERIFY_TOKEN = process.env.WHATSAPP_VERIFY_TOKEN ?? 'sim-verify-token';
const PHONE_NUMBER_ID = process.env.WHATSAPP_PHONE_NUMBER_ID ?? '100000000000001';
// Sanad's replies come from a job; the turn is over once it has been quiet this long.
const QUIET_MS = Number(args.quiet ?? 2500);
const REPLY_TIMEOUT_MS = 30_000;

interface Sent {
  to: string;
  type: string;
  context?: { message_id: string };
  text?: { body: string };
  interactive?: { body: { text: string }; action: { buttons: { reply: { id: string; title: string } }[] } };
  template?: { name: string; language: { code: string } };
}

const sent: Sent[] = [];
const wamid = () => `wamid.SIM${randomBytes(12).toString('hex').toUpperCase()}`;

// --- the fake Graph API ---------------------------------------------------------------------
const graph = createServer((req, res) => void answerGraph(req, res));
async function answerGraph(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const path = req.url ?? '';
  if (req.method !== 'POST' || !/^\/v\d+\.\d+\/\d+\/messages$/.test(path)) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Unknown path ${path}`, code: 100 } }));
    return;
  }
  if (!/^Bearer .+/.test(req.headers.authorization ?? '')) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'Invalid OAuth access token', code: 190 } }));
    return;
  }
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Sent;
  const id = wamid();
  sent.push(body);
  print(body);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: body.to }],
      messages: [{ id }],
    }),
  );
  // Like Meta: the message is delivered, then read, each reported by a webhook of its own.
  setTimeout(() => void postWebhook(statusPayload(id, 'delivered')).catch(() => {}), 300);
  setTimeout(() => void postWebhook(statusPayload(id, 'read')).catch(() => {}), 600);
}

function print(m: Sent) {
  const lines: string[] = [];
  if (m.type === 'text') lines.push(m.text?.body ?? '');
  if (m.type === 'interactive' && m.interactive) {
    lines.push(m.interactive.body.text);
    lines.push(m.interactive.action.buttons.map((b) => `[ ${b.reply.title} ]`).join('  '));
  }
  if (m.type === 'template') lines.push(`(template ${m.template?.name}, ${m.template?.language.code})`);
  const quoted = m.context ? ' (quoting your message)' : '';
  console.log(`\n  Sanad → ${m.to}${quoted}:\n${indent(lines.join('\n'))}`);
}
const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `    │ ${l}`)
    .join('\n');

// --- the customer's side: signed webhooks ------------------------------------------------------
function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '100000000000000',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  };
}
const messagePayload = (message: Record<string, unknown>) =>
  envelope({
    contacts: [{ profile: { name: NAME }, wa_id: FROM }],
    messages: [{ from: FROM, id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
  });
const statusPayload = (id: string, status: string) =>
  envelope({ statuses: [{ id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: FROM }] });

async function postWebhook(payload: unknown): Promise<Response> {
  // Signed over exactly the bytes sent, as Meta does (UTF-8, Arabic unescaped).
  const body = JSON.stringify(payload);
  return fetch(`${SANAD}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(APP_SECRET, body) },
    body,
  });
}

async function customerSends(label: string, message: Record<string, unknown>) {
  console.log(`\n${FROM} (${NAME}) → Sanad: ${label}`);
  const before = sent.length;
  const res = await postWebhook(messagePayload(message));
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  await repliesAfter(before);
}

/** Waits for Sanad's replies: at least one, then until it has been quiet for QUIET_MS. */
async function repliesAfter(before: number) {
  const started = Date.now();
  let last = sent.length;
  let quietSince = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    if (sent.length !== last) {
      last = sent.length;
      quietSince = Date.now();
    }
    if (sent.length > before && Date.now() - quietSince > QUIET_MS) return;
    if (Date.now() - started > REPLY_TIMEOUT_MS) {
      console.log('  (no reply from Sanad within 30 s: is it running with WHATSAPP_GRAPH_URL pointing here?)');
      return;
    }
  }
}

async function main() {
  await new Promise<void>((resolve, reject) => {
    graph.once('error', reject);
    graph.listen(GRAPH_PORT, '127.0.0.1', () => resolve());
  });
  console.log(`Fake Graph API on http://127.0.0.1:${GRAPH_PORT}; Sanad at ${SANAD}`);

  const challenge = String(Date.now());
  const verify = await fetch(
    `${SANAD}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(VERIFY_TOKEN)}&hub.challenge=${challenge}`,
  ).catch((error: Error) => {
    throw new Error(`Sanad is not reachable at ${SANAD} (${error.message}). Start it first: see docs/whatsapp.md`);
  });
  const echoed = await verify.text();
  if (verify.status !== 200 || echoed !== challenge) {
    throw new Error(
      `Webhook verification failed (${verify.status}): is Sanad running with WhatsApp on and WHATSAPP_VERIFY_TOKEN=${VERIFY_TOKEN}? ${echoed.slice(0, 300)}`,
    );
  }
  console.log('Webhook verification: OK (challenge echoed)');

  const unsigned = await fetch(`${SANAD}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(messagePayload({ type: 'text', text: { body: 'unsigned' } })),
  });
  console.log(`Unsigned webhook: ${unsigned.status} (refused, as it should be)`);

  const question = 'متى يرجع لي المبلغ اذا رجعت الطلب؟';
  await customerSends(question, { type: 'text', text: { body: question } });

  const notHelpful = sent
    .flatMap((m) => m.interactive?.action.buttons ?? [])
    .find((b) => b.reply.id.startsWith('helpful:') && b.reply.id.endsWith(':no'));
  if (notHelpful) {
    await customerSends(`[presses «${notHelpful.reply.title}»]`, {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: notHelpful.reply },
    });
  }

  const english = 'How long does delivery to Jeddah take?';
  await customerSends(english, { type: 'text', text: { body: english } });

  await customerSends('[a photo, captioned «صورة الفاتورة»]', {
    type: 'image',
    image: { id: '1234567890', mime_type: 'image/jpeg', sha256: 'sim', caption: 'صورة الفاتورة' },
  });

  console.log(`\nSanad sent ${sent.length} message(s) to the fake Graph API.`);
  graph.close();
}

main().catch((error: Error) => {
  console.error(`\nwhatsapp-sim: ${error.message}`);
  graph.close();
  process.exit(1);
});
