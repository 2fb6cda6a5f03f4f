/**
 * WhatsApp for tests: the channel's settings, Meta's webhook payloads, signed as Meta signs
 * them, and a stand-in for the Graph API send endpoint (msw) that records every request.
 */
import { randomUUID } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { signatureOf } from '../../src/channels/whatsapp/signature.js';

export const WA = {
  WHATSAPP_ACCESS_TOKEN: 'test-access-token',
  WHATSAPP_PHONE_NUMBER_ID: '1098765432',
  WHATSAPP_APP_SECRET: 'test-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
  WHATSAPP_SENDS_PER_SECOND: '500',
  PUBLIC_URL: 'https://help.example.com',
  LOAD_SAMPLE_KB: 'false',
};

export const GRAPH_SEND_URL = `https://graph.facebook.com/:version/:phoneId/messages`;

export interface GraphCall {
  version: string;
  phoneId: string;
  authorization: string | null;
  body: Record<string, unknown> & { to: string; type: string };
  wamid: string;
}

/**
 * The send endpoint as Meta answers it. `respond` may answer otherwise (an error, a delay) for
 * a call; returning undefined gives the normal answer with a fresh wamid.
 */
export function graphApi(respond: (call: GraphCall, calls: GraphCall[]) => Promise<Response | undefined> | undefined) {
  const calls: GraphCall[] = [];
  const handler = http.post(GRAPH_SEND_URL, async ({ request, params }) => {
    const call: GraphCall = {
      version: String(params.version),
      phoneId: String(params.phoneId),
      authorization: request.headers.get('authorization'),
      body: (await request.json()) as GraphCall['body'],
      wamid: `wamid.${randomUUID().replaceAll('-', '')}`,
    };
    const other = await respond(call, calls);
    if (other) return other;
    calls.push(call);
    return HttpResponse.json({
      messaging_product: 'whatsapp',
      contacts: [{ input: call.body.to, wa_id: call.body.to }],
      messages: [{ id: call.wamid }],
    });
  });
  return { handler, calls };
}

export const graphError = (status: number, code: number, message: string) =>
  HttpResponse.json({ error: { message, type: 'OAuthException', code, fbtrace_id: 'AbC' } }, { status });

let seq = 0;
export const wamid = () => `wamid.HBgM${Date.now().toString(36)}${(seq++).toString(36)}${randomUUID().slice(0, 8)}`;

type Message = Record<string, unknown> & { id?: string; type: string };

/** One `messages` change from a contact, with their profile name. */
export function change(from: string, messages: Message[], name = 'عميل تجريبي', statuses?: unknown[]) {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: WA.WHATSAPP_PHONE_NUMBER_ID },
      ...(messages.length > 0
        ? {
            contacts: [{ profile: { name }, wa_id: from }],
            messages: messages.map((m) => ({
              from,
              timestamp: String(Math.floor(Date.now() / 1000)),
              ...m,
              id: m.id ?? wamid(),
            })),
          }
        : {}),
      ...(statuses ? { statuses } : {}),
    },
  };
}

export function webhook(...changes: ReturnType<typeof change>[][]) {
  return {
    object: 'whatsapp_business_account',
    entry: changes.map((c, i) => ({ id: `10200300400${i}`, changes: c })),
  };
}

export const text = (body: string, id?: string) => ({ type: 'text', text: { body }, ...(id ? { id } : {}) });

export function statusOf(id: string, status: string, errors?: unknown[]) {
  return {
    id,
    status,
    timestamp: String(Math.floor(Date.now() / 1000)),
    recipient_id: '966500000000',
    ...(errors ? { errors } : {}),
  };
}

/** The raw body and the headers Meta would send with it. */
export function signed(body: string, secret = WA.WHATSAPP_APP_SECRET) {
  return {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(secret, body) },
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  ms = 60_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
