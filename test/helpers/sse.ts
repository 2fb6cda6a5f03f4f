/** One server-sent event as a browser's EventSource would deliver it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` response event by event. `until` resolves with the events read so
 * far once one matches, or rejects after `ms` naming what was seen; `close` cancels the stream
 * (call it in `finally`: an open feed keeps its listener on the bus).
 */
export function readSse(response: Response) {
  if (!response.body) throw new Error('the response has no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const seen: SseEvent[] = [];
  let buffer = '';
  let done = false;
  // A read still pending when a wait timed out is kept for the next wait, so no chunk is lost.
  let pending: ReturnType<typeof reader.read> | undefined;

  function parse() {
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', data: '' };
      const data: string[] = [];
      let any = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else continue;
        any = true;
      }
      if (any) {
        event.data = data.join('\n');
        seen.push(event);
      }
      end = buffer.indexOf('\n\n');
    }
  }

  async function until(match: (e: SseEvent) => boolean, ms = 30_000, from = 0): Promise<SseEvent[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (seen.slice(from).some(match)) return seen;
      if (done) throw new Error(`the feed ended first; seen: ${JSON.stringify(seen)}`);
      const left = deadline - Date.now();
      let timer: NodeJS.Timeout | undefined;
      pending ??= reader.read();
      const chunk = await Promise.race([
        pending,
        new Promise<'timeout'>((r) => {
          timer = setTimeout(() => r('timeout'), Math.max(0, left));
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk === 'timeout') throw new Error(`no matching event within ${ms} ms; seen: ${JSON.stringify(seen)}`);
      pending = undefined;
      if (chunk.done) done = true;
      else buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
      parse();
    }
  }

  return {
    seen,
    until,
    async close() {
      await reader.cancel().catch(() => {});
    },
  };
}

export const json = (e: SseEvent) => JSON.parse(e.data) as Record<string, unknown>;
