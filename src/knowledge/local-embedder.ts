import { isStopword } from '../text/stopwords.js';
import { termOf, tokenise } from '../text/tokenise.js';
import { Embedder } from './embedder.js';

/** A vector's non-zero entries: dimension and value, pair by pair. */
export interface SparseVector {
  index: Int32Array;
  value: Float64Array;
}

/**
 * The local embedder: signed feature hashing (Weinberger et al.) of normalised text, so it
 * needs no network and no downloaded weights. Three kinds of features, each hashed into the
 * same space:
 *  - stemmed content words (the topic),
 *  - adjacent word pairs (a little word order: "card declined" vs "declined card" is rare, but
 *    "not received" matters),
 *  - character 3–5-grams of each word with boundary marks, which match Arabic words through
 *    clitics and affixes the light stemmer leaves, dialect spellings and typos.
 * Vectors are L2-normalised term frequencies; knowledge-base IDF is applied to the query at
 * search time (see idf.ts), so a chunk's vector depends only on its own text and is cached
 * by content hash.
 */
export class LocalHashEmbedder extends Embedder {
  readonly model: string;
  override readonly lexical = true;

  constructor(readonly dims = 2000) {
    super({});
    // The version names the features: bump it whenever features() or the tokeniser behind it
    // change, so stored vectors are re-embedded (a reindex) instead of mixed with new ones.
    this.model = `local:hash-v2@${dims}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(this.vector(t)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.vector(text));
  }

  vector(text: string): Float64Array {
    const v = new Float64Array(this.dims);
    const { index, value } = this.sparse(text);
    for (let k = 0; k < index.length; k++) v[index[k] as number] = value[k] as number;
    return v;
  }

  /** The same L2-normalised vector as (index, value) pairs: what the intent model trains on. */
  sparse(text: string): SparseVector {
    const acc = new Map<number, number>();
    for (const [feature, weight] of features(text)) {
      const h = hash(feature);
      const i = h % this.dims;
      acc.set(i, (acc.get(i) ?? 0) + (h & 0x80000000 ? -1 : 1) * weight);
    }
    let norm = 0;
    for (const x of acc.values()) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    const index = Int32Array.from(acc.keys());
    const value = Float64Array.from(acc.values(), (x) => x / norm);
    return { index, value };
  }
}

const WORD_WEIGHT = 1;
const PAIR_WEIGHT = 0.5;
const CHAR_WEIGHT = 1.2;

// Retrieval reads one question's features three times (the vector, the intent model, the
// passages): the last text's are kept, read-only.
let lastFeatures: { text: string; features: ReadonlyMap<string, number> } | undefined;

export function features(text: string): ReadonlyMap<string, number> {
  if (lastFeatures?.text === text) return lastFeatures.features;
  const out = computeFeatures(text);
  lastFeatures = { text, features: out };
  return out;
}

function computeFeatures(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (f: string, w: number) => out.set(f, (out.get(f) ?? 0) + w);
  const words = tokenise(text).filter((t) => !isStopword(t));
  let previous: string | undefined;
  for (const word of words) {
    const { term: s, folded } = termOf(word);
    add(`w:${s}`, WORD_WEIGHT);
    if (previous) add(`p:${previous} ${s}`, PAIR_WEIGHT);
    previous = s;
    // A folded dialect word takes the n-grams of the term it folds to, so it matches the
    // inflected MSA forms an article uses.
    const grams = charGrams(folded ? s : word);
    const share = CHAR_WEIGHT / Math.sqrt(Math.max(1, grams.length));
    for (const g of grams) add(`c:${g}`, share);
  }
  return out;
}

function charGrams(word: string): string[] {
  if (/^\d+$/.test(word)) return [];
  const padded = `<${word}>`;
  const grams: string[] = [];
  for (let n = 3; n <= 5; n++) {
    for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
  }
  return grams;
}

/** FNV-1a over UTF-16 units with a final avalanche, so the top bit is a fair sign. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
