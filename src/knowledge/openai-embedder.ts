import OpenAI from 'openai';
import { Embedder } from './embedder.js';

export interface OpenAIEmbedderOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** Requested output size; models without the parameter return their native size. */
  dimensions?: number;
  timeoutMs?: number;
  maxRetries?: number;
}

const NATIVE_DIMS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** Embeddings from OpenAI or any compatible server (OPENAI_BASE_URL). */
export class OpenAIEmbedder extends Embedder {
  readonly model: string;
  readonly dims: number;
  private client: OpenAI | undefined;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    super({});
    this.dims = options.dimensions ?? NATIVE_DIMS[options.model] ?? 1536;
    if (this.dims > 2000)
      throw new Error(`EMBEDDING_DIMENSIONS must be at most 2000 for the HNSW index (got ${this.dims})`);
    this.model = `openai:${options.model}@${this.dims}`;
  }

  // Built on first use, so tests that install fetch mocks after construction still catch it.
  private api(): OpenAI {
    this.client ??= new OpenAI({
      apiKey: this.options.apiKey ?? 'not-needed',
      baseURL: this.options.baseURL,
      timeout: this.options.timeoutMs ?? 15_000,
      maxRetries: this.options.maxRetries ?? 2,
      fetch: (url, init) => globalThis.fetch(url, init),
    });
    return this.client;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += 100) {
      const batch = texts.slice(i, i + 100);
      // base64 asked for explicitly and decoded here: compact from OpenAI, and still right when a
      // compatible server ignores the parameter and sends floats (the SDK's own decoding would
      // then turn the floats into garbage).
      const res = await this.api().embeddings.create({
        model: this.options.model,
        input: batch,
        encoding_format: 'base64',
        ...(this.options.dimensions ? { dimensions: this.options.dimensions } : {}),
      });
      if (res.data.length !== batch.length) {
        throw new Error(`The embedding server returned ${res.data.length} embeddings for ${batch.length} texts`);
      }
      const sorted = [...res.data].sort((a, b) => a.index - b.index);
      for (const d of sorted) {
        const vector = decodeEmbedding(d.embedding as unknown);
        if (vector.length !== this.dims) {
          throw new Error(
            `The embedding server returned ${vector.length} dimensions; ${this.model} expects ${this.dims}`,
          );
        }
        out.push(vector);
      }
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedDocuments([text]))[0] as number[];
  }
}

/** An embedding as sent by the server: base64 of little-endian float32s, or a plain array. */
export function decodeEmbedding(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length % 4 !== 0) throw new Error('The embedding server returned base64 that is not float32 data');
    // Copied so the float view is aligned whatever the buffer's offset in Node's pool.
    return Array.from(new Float32Array(Uint8Array.from(bytes).buffer));
  }
  throw new Error('The embedding server returned an embedding that is neither base64 nor an array');
}
