import type OpenAI from 'openai';
import type { z } from 'zod';

export interface JsonCall<T> {
  model: string;
  system: string;
  user: string;
  schema: z.ZodType<T>;
  signal?: AbortSignal;
  /** Gives up after this long, whatever the client's own timeout and retries. */
  timeoutMs?: number;
  onCall?: (result: string) => void;
}

/** The model's reply did not parse as JSON or did not match the schema. */
export class InvalidModelOutputError extends Error {}

/**
 * One JSON completion from the model, checked against its schema. Every failure (network,
 * status, timeout, abort, bad output) is an error: callers of the assists fall back to the local
 * way, so there is nothing to tell apart.
 */
export async function askJson<T>(client: OpenAI, call: JsonCall<T>): Promise<T> {
  const signals = [call.signal, call.timeoutMs ? AbortSignal.timeout(call.timeoutMs) : undefined].filter(
    (s): s is AbortSignal => s !== undefined,
  );
  const signal = signals.length ? AbortSignal.any(signals) : undefined;
  let content: string;
  try {
    const res = await client.chat.completions.create(
      {
        model: call.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: call.system },
          { role: 'user', content: call.user },
        ],
      },
      { signal },
    );
    content = res.choices[0]?.message?.content ?? '';
  } catch (error) {
    call.onCall?.(signal?.aborted ? 'aborted' : 'error');
    throw error;
  }
  const parsed = call.schema.safeParse(parseJson(content));
  if (!parsed.success) {
    call.onCall?.('invalid');
    throw new InvalidModelOutputError(`the model's reply did not match the expected JSON: ${parsed.error.message}`);
  }
  call.onCall?.('ok');
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return undefined;
  }
}
