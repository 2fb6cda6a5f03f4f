/** One event of the conversation's live feed. */
export interface FeedEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

export interface FeedHandlers {
  onEvent(event: FeedEvent): void;
  /** The token (or session) is no longer valid: stop, the widget starts over, the console signs in. */
  onUnauthorized(): void;
  onConnection(connected: boolean): void;
}

/**
 * Follows a conversation's feed over fetch (EventSource cannot send the token), resuming after
 * the last event id on every reconnect, so nothing is lost or shown twice.
 */
export function followFeed(
  url: string,
  /** The customer's token; the console passes none and goes by its session cookie. */
  token: string | undefined,
  lastEventId: () => string | undefined,
  handlers: FeedHandlers,
): { stop(): void } {
  let stopped = false;
  let controller: AbortController | undefined;
  let retryMs = 1000;

  async function connect(): Promise<void> {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (token) headers.authorization = `Bearer ${token}`;
        const last = lastEventId();
        if (last) headers['last-event-id'] = last;
        const response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          handlers.onUnauthorized();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`feed ${response.status}`);
        handlers.onConnection(true);
        retryMs = 1000;
        await read(response.body, handlers.onEvent);
      } catch {
        if (stopped) return;
      }
      handlers.onConnection(false);
      await new Promise((r) => setTimeout(r, retryMs));
      retryMs = Math.min(retryMs * 2, 15_000);
    }
  }

  void connect();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}

async function read(body: ReadableStream<Uint8Array>, onEvent: (e: FeedEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const parsed = parseBlock(block);
      if (parsed) onEvent(parsed);
      end = buffer.indexOf('\n\n');
    }
  }
}

function parseBlock(block: string): FeedEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  try {
    return { id, event, data: JSON.parse(data.join('\n')) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
