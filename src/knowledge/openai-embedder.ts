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
      const res = await this.api().embeddings.create({
        model: this.options.model,
        input: texts.slice(i, i + 100),
        ...(this.options.dimensions ? { dimensions: this.options.dimensions } : {}),
      });
      const sorted = [...res.data].sort((a, b) => a.index - b.index);
      for (const d of sorted) {
        if (d.embedding.length !== this.dims) {
          throw new Error(
            `The embedding server returned ${d.embedding.length} dimensions; ${this.model} expects ${this.dims}`,
          );
        }
        out.push(d.embedding);
      }
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedDocuments([text]))[0] as number[];
  }
}
