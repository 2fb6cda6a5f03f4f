/**
 * The Graph API's send endpoint, thinly: one POST per message with the bearer token, Meta's
 * wamid back, and errors sorted into "try again" and "never". No SDK: Meta's Node SDK is
 * paused, and this is all Sanad calls.
 */

export interface GraphSettings {
  graphUrl: string;
  version: string;
  phoneNumberId: string;
  accessToken: string;
  sendsPerSecond: number;
  timeoutMs?: number;
}

export class GraphError extends Error {
  override name = 'GraphError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: number | null,
    /** True when sending the same request again cannot succeed (invalid recipient, bad template…). */
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

// Graph error codes that are throttling or Meta's own trouble, whatever the HTTP status says.
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131048, 131056, 133004, 133005]);
const TRANSIENT_STATUSES = new Set([408, 409, 425, 429]);

export type GraphMessage = Record<string, unknown> & { to: string; type: string };

export interface GraphClient {
  /** Sends one message; resolves with its wamid. */
  send(message: GraphMessage): Promise<string>;
}

export function graphClient(settings: GraphSettings): GraphClient {
  const url = `${settings.graphUrl.replace(/\/+$/, '')}/${settings.version}/${settings.phoneNumberId}/messages`;
  const bucket = tokenBucket(settings.sendsPerSecond);
  return {
    async send(message) {
      await bucket.take();
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...message }),
          signal: AbortSignal.timeout(settings.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw new GraphError(`Graph API unreachable: ${(error as Error).name}`, null, null, false);
      }
      const body = (await response.json().catch(() => null)) as GraphReply | null;
      if (response.ok) {
        const wamid = body?.messages?.[0]?.id;
        if (!wamid) throw new GraphError('Graph API answered without a message id', response.status, null, false);
        return wamid;
      }
      const code = typeof body?.error?.code === 'number' ? body.error.code : null;
      const permanent =
        response.status >= 400 &&
        response.status < 500 &&
        !TRANSIENT_STATUSES.has(response.status) &&
        !(code !== null && TRANSIENT_CODES.has(code));
      // Meta's message and title describe the error, not the recipient; cut short all the same.
      const title = (body?.error?.error_data?.details ?? body?.error?.message ?? response.statusText).slice(0, 200);
      throw new GraphError(
        `WhatsApp refused the message (HTTP ${response.status}${code !== null ? `, code ${code}` : ''}): ${title}`,
        response.status,
        code,
        permanent,
      );
    },
  };
}

interface GraphReply {
  messages?: { id?: string }[];
  error?: { message?: string; code?: number; error_data?: { details?: string } };
}

/**
 * At most `perSecond` sends per second from this process, in bursts of up to one second's worth.
 * Callers wait their turn in order. Several processes each get their own allowance.
 */
export function tokenBucket(perSecond: number, now: () => number = Date.now) {
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let last = now();
  let chain: Promise<void> = Promise.resolve();
  const refill = () => {
    const t = now();
    tokens = Math.min(capacity, tokens + ((t - last) / 1000) * perSecond);
    last = t;
  };
  return {
    take(): Promise<void> {
      const turn = chain.then(async () => {
        refill();
        while (tokens < 1) {
          await new Promise((r) => setTimeout(r, Math.ceil(((1 - tokens) / perSecond) * 1000)));
          refill();
        }
        tokens -= 1;
      });
      chain = turn;
      return turn;
    },
  };
}
