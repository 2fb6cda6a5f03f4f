import { Embeddings } from '@langchain/core/embeddings';

/**
 * An embedder turns text into vectors for pgvector. `model` names the model *and* its
 * dimensions: embeddings are stored per model, so vectors of two models never mix.
 */
export abstract class Embedder extends Embeddings {
  abstract readonly model: string;
  abstract readonly dims: number;
  /** True when the vectors are sparse lexical features that benefit from knowledge-base IDF weighting. */
  readonly lexical: boolean = false;
}

export function toVectorLiteral(v: ArrayLike<number>): string {
  let out = '[';
  for (let i = 0; i < v.length; i++) {
    const x = Number(v[i]);
    // Local vectors are mostly zeros: a bare 0 spares toPrecision and the parser the digits.
    out += (i ? ',' : '') + (x === 0 || !Number.isFinite(x) ? '0' : x.toPrecision(6));
  }
  return `${out}]`;
}

export function parseVector(text: string): number[] {
  return text.slice(1, -1).split(',').map(Number);
}
