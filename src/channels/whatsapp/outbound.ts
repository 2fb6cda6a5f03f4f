import type { Db } from '../../platform/db/db.js';
import { type DeliveryReceipt, DeliveryRefused, type OutboundMessage } from '../channel.js';
import { citationLines, splitText, TEXT_LIMIT, toWhatsAppText } from './format.js';
import { type GraphClient, GraphError, type GraphMessage } from './graph-client.js';

export const WINDOW_MS = 24 * 60 * 60 * 1000;
const BUTTON_BODY_LIMIT = 1024;
const TEMPLATE_PARAM_LIMIT = 1000;
// A send claimed this long ago without Meta's id is taken to have died with its worker.
const CLAIM_STALE_SECONDS = 60;

/** Ids of Sanad's own reply buttons; the webhook reads them back. */
export const BUTTON_IDS = {
  human: 'human',
  helpful: (messageId: string, yes: boolean) => `helpful:${messageId}:${yes ? 'yes' : 'no'}`,
  survey: (conversationId: string, kind: string, score: number) => `survey:${conversationId}:${kind}:${score}`,
};

const WORDING = {
  ar: {
    helpful: 'مفيد 👍',
    notHelpful: 'غير مفيد',
    human: 'التحدث مع موظف',
    askFeedback: 'هل كانت الإجابة مفيدة؟',
    askHuman: 'هل تريد التحدث مع موظف؟',
    notHelpedOffer: 'نأسف لأن الإجابة لم تفدك. هل تريد التحدث مع موظف؟',
    chooseScore: 'اختر تقييمك',
    replyWithNumber: (min: number, max: number) => `ردّ برقم من ${min} إلى ${max}.`,
  },
  en: {
    helpful: 'Helpful 👍',
    notHelpful: 'Not helpful',
    human: 'Talk to a person',
    askFeedback: 'Was this answer helpful?',
    askHuman: 'Would you like to talk to a person?',
    notHelpedOffer: "Sorry that didn't help. Would you like to talk to a person?",
    chooseScore: 'Choose your rating',
    replyWithNumber: (min: number, max: number) => `Reply with a number from ${min} to ${max}.`,
  },
};
export const wordingFor = (lang: string | null) => (lang === 'en' ? WORDING.en : WORDING.ar);

export interface OutboundSettings {
  publicUrl?: string;
  template?: { name: string; languages: string[] };
}

/**
 * The Graph API requests one stored message becomes, in order. Inside the 24-hour window: the
 * text (split when longer than WhatsApp takes), quoting the customer's message, with reply
 * buttons when the customer may rate the answer or ask for a person. Outside it: the template,
 * or a refusal when none is configured.
 */
export function planMessages(message: OutboundMessage, settings: OutboundSettings, now = Date.now()): GraphMessage[] {
  const to = message.contactExternalId;
  const body = [toWhatsAppText(message.content), citationLines(message.citations, message.lang, settings.publicUrl)]
    .filter(Boolean)
    .join('\n\n');
  const last = message.lastCustomerMessageAt ? Date.parse(message.lastCustomerMessageAt) : Number.NaN;
  if (!(now - last < WINDOW_MS)) return [templateMessage(to, body, message.lang, settings.template)];

  const words = wordingFor(message.lang);
  if (message.survey) return [surveyMessage(message, body, words)];
  const context = message.replyToChannelMessageId ? { context: { message_id: message.replyToChannelMessageId } } : {};
  const buttons = [
    ...(message.offers.feedback
      ? [
          { id: BUTTON_IDS.helpful(message.id, true), title: words.helpful },
          { id: BUTTON_IDS.helpful(message.id, false), title: words.notHelpful },
        ]
      : []),
    ...(message.offers.human ? [{ id: BUTTON_IDS.human, title: words.human }] : []),
  ];
  if (buttons.length > 0 && body.length <= BUTTON_BODY_LIMIT) return [buttonMessage(to, body, buttons, context)];

  const texts = splitText(body, TEXT_LIMIT).map(
    (part, i): GraphMessage => ({
      to,
      type: 'text',
      text: { body: part, preview_url: false },
      ...(i === 0 ? context : {}),
    }),
  );
  if (buttons.length === 0) return texts;
  // The text is too long for a button message's body: the buttons follow under a short question.
  const prompt = message.offers.feedback ? words.askFeedback : words.askHuman;
  return [...texts, buttonMessage(to, prompt, buttons, {})];
}

const SURVEY_ENDS: Record<string, Record<'ar' | 'en', [string, string]>> = {
  csat: { ar: ['غير راضٍ أبدًا', 'راضٍ جدًا'], en: ['Very dissatisfied', 'Very satisfied'] },
  ces: { ar: ['صعب جدًا', 'سهل جدًا'], en: ['Very difficult', 'Very easy'] },
};

// WhatsApp lists hold at most 10 rows: NPS (0–10) is answered with a number instead.
const LIST_ROWS = 10;

/** A survey question: a list of scores to pick from, or a number to reply with. */
function surveyMessage(message: OutboundMessage, body: string, words: ReturnType<typeof wordingFor>): GraphMessage {
  const survey = message.survey as NonNullable<OutboundMessage['survey']>;
  const to = message.contactExternalId;
  const count = survey.max - survey.min + 1;
  if (count > LIST_ROWS) {
    return {
      to,
      type: 'text',
      text: { body: `${body}\n${words.replyWithNumber(survey.min, survey.max)}`, preview_url: false },
    };
  }
  const ends = SURVEY_ENDS[survey.kind]?.[message.lang === 'en' ? 'en' : 'ar'];
  const rows = Array.from({ length: count }, (_, i) => survey.max - i).map((score) => ({
    id: BUTTON_IDS.survey(message.conversationId, survey.kind, score),
    // Row titles hold 24 characters: the score, with the scale's words at its two ends.
    title:
      `${score}${score === survey.max && ends ? ` · ${ends[1]}` : score === survey.min && ends ? ` · ${ends[0]}` : ''}`.slice(
        0,
        24,
      ),
  }));
  return {
    to,
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body.slice(0, BUTTON_BODY_LIMIT) },
      action: { button: words.chooseScore, sections: [{ title: words.chooseScore.slice(0, 24), rows }] },
    },
  };
}

export function buttonMessage(
  to: string,
  text: string,
  buttons: { id: string; title: string }[],
  context: Record<string, unknown>,
): GraphMessage {
  return {
    to,
    type: 'interactive',
    ...context,
    interactive: {
      type: 'button',
      body: { text },
      action: {
        buttons: buttons.slice(0, 3).map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title.slice(0, 20) } })),
      },
    },
  };
}

function templateMessage(
  to: string,
  body: string,
  lang: string | null,
  template: OutboundSettings['template'],
): GraphMessage {
  if (!template) {
    throw new DeliveryRefused(
      "outside WhatsApp's 24-hour customer-service window (the customer last wrote over 24 hours ago) and no template is configured: set WHATSAPP_TEMPLATE_NAME and WHATSAPP_TEMPLATE_LANGUAGES",
    );
  }
  const code = template.languages.find((l) => l.split('_')[0] === (lang ?? 'ar')) ?? (template.languages[0] as string);
  // Template parameters take no newlines, tabs or runs of more than four spaces.
  const flat = body
    .replace(/\s*\n+\s*/g, ' · ')
    .replace(/\s{2,}/g, ' ')
    .slice(0, TEMPLATE_PARAM_LIMIT);
  return {
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code },
      components: [{ type: 'body', parameters: [{ type: 'text', text: flat }] }],
    },
  };
}

/**
 * `deliver()`: sends a message's requests in order, each claimed in `whatsapp_sends` first, so
 * a retried delivery job (a lost Redis, a failed second part) sends only what is not sent yet.
 * Errors Meta will repeat forever become DeliveryRefused: recorded failed now, not retried.
 */
export function whatsappDeliverer(db: Db, client: GraphClient, settings: OutboundSettings) {
  async function claim(messageId: string, part: number): Promise<{ wamid: string | null } | null> {
    const [fresh] = await db.query(
      `INSERT INTO whatsapp_sends (message_id, part) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING part`,
      [messageId, part],
    );
    if (fresh) return { wamid: null };
    const [sent] = await db.query<{ wamid: string | null }>(
      'SELECT wamid FROM whatsapp_sends WHERE message_id = $1 AND part = $2',
      [messageId, part],
    );
    if (sent?.wamid) return { wamid: sent.wamid };
    const [stale] = await db.query(
      `UPDATE whatsapp_sends SET claimed_at = now()
       WHERE message_id = $1 AND part = $2 AND wamid IS NULL AND claimed_at < now() - interval '${CLAIM_STALE_SECONDS} seconds'
       RETURNING part`,
      [messageId, part],
    );
    return stale ? { wamid: null } : null;
  }

  return async function deliver(message: OutboundMessage): Promise<DeliveryReceipt> {
    const requests = planMessages(message, settings);
    const wamids: string[] = [];
    for (const [part, request] of requests.entries()) {
      const claimed = await claim(message.id, part);
      // Another worker is sending this part right now: try again once it is done.
      if (!claimed) throw new Error(`part ${part + 1} of the message is being sent by another worker`);
      if (claimed.wamid) {
        wamids.push(claimed.wamid);
        continue;
      }
      let wamid: string;
      try {
        wamid = await client.send(request);
      } catch (error) {
        // Not sent: free the claim so the retry sends it at once.
        await db.query('DELETE FROM whatsapp_sends WHERE message_id = $1 AND part = $2 AND wamid IS NULL', [
          message.id,
          part,
        ]);
        if (error instanceof GraphError && error.permanent) throw new DeliveryRefused(error.message);
        throw error;
      }
      // Sent. Should this write fail, the claim stays and the part is sent again only once it is stale:
      // at least once, never lost.
      await db.query('UPDATE whatsapp_sends SET wamid = $3 WHERE message_id = $1 AND part = $2', [
        message.id,
        part,
        wamid,
      ]);
      wamids.push(wamid);
    }
    // Status callbacks name this id: the first part carries the reply itself.
    return { status: 'sent', channelMessageId: wamids[0] };
  };
}
