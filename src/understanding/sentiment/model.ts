/**
 * The trained sentiment model: one multinomial logistic regression per language over the
 * features of `features.ts`, trained by `npm run train:sentiment` on the public labelled
 * messages (README, "Sentiment"). Hashed weights ship as signed bytes (one scale per model),
 * so a language's model is `buckets × 3` bytes in memory and scoring is a few hundred
 * additions.
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../../platform/paths.js';
import { DENSE_FEATURES, extract, type FeatureOptions } from './features.js';
import type { SentimentLabel } from './sentiment.js';

export const LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

/** One language's model as stored in the data file. */
export interface StoredModel {
  /** Hashed weights, `buckets × 3` signed bytes (label-major within a bucket), base64. */
  hashed: string;
  /** Multiplier turning a stored byte back into a weight. */
  scale: number;
  /** `DENSE_FEATURES × 3` weights, then 3 biases. */
  dense: number[];
  bias: number[];
}

export interface StoredSentimentModel {
  version: 1;
  features: FeatureOptions;
  /** Where the weights come from (datasets, splits, figures), for whoever reads the file. */
  trainedOn: string[];
  models: { ar: StoredModel; en: StoredModel };
}

interface LoadedModel {
  hashed: Int8Array;
  scale: number;
  dense: Float64Array;
  bias: Float64Array;
}

export interface SentimentModel {
  features: FeatureOptions;
  /** Label probabilities in `LABELS` order. */
  probabilities(
    text: string,
    lang?: 'ar' | 'en',
  ): { lang: 'ar' | 'en'; p: [number, number, number] /** the lexicon's score, -1..1 */; lexicon: number };
}

function load(m: StoredModel, buckets: number): LoadedModel {
  const bytes = Buffer.from(m.hashed, 'base64');
  if (bytes.length !== buckets * 3 || m.dense.length !== DENSE_FEATURES * 3 || m.bias.length !== 3) {
    throw new Error('sentiment model: the data file does not match its feature layout');
  }
  return {
    hashed: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    scale: m.scale,
    dense: Float64Array.from(m.dense),
    bias: Float64Array.from(m.bias),
  };
}

/** Softmax of three logits, computed without overflow. */
export function softmax3(z: ArrayLike<number>): [number, number, number] {
  const max = Math.max(z[0] as number, z[1] as number, z[2] as number);
  const e0 = Math.exp((z[0] as number) - max);
  const e1 = Math.exp((z[1] as number) - max);
  const e2 = Math.exp((z[2] as number) - max);
  const s = e0 + e1 + e2;
  return [e0 / s, e1 / s, e2 / s];
}

export function sentimentModelFrom(stored: StoredSentimentModel): SentimentModel {
  const { buckets } = stored.features;
  const models = { ar: load(stored.models.ar, buckets), en: load(stored.models.en, buckets) };
  return {
    features: stored.features,
    probabilities(text, lang) {
      const f = extract(text, stored.features, lang);
      const m = models[f.lang];
      let z0 = m.bias[0] as number;
      let z1 = m.bias[1] as number;
      let z2 = m.bias[2] as number;
      for (let i = 0; i < f.hashed.length; i++) {
        const b = (f.hashed[i] as number) * 3;
        const x = (f.values[i] as number) * m.scale;
        z0 += (m.hashed[b] as number) * x;
        z1 += (m.hashed[b + 1] as number) * x;
        z2 += (m.hashed[b + 2] as number) * x;
      }
      for (let d = 0; d < DENSE_FEATURES; d++) {
        const x = f.dense[d] as number;
        z0 += x * (m.dense[d * 3] as number);
        z1 += x * (m.dense[d * 3 + 1] as number);
        z2 += x * (m.dense[d * 3 + 2] as number);
      }
      const z = [z0, z1, z2];
      return { lang: f.lang, p: softmax3(z), lexicon: f.dense[0] as number };
    },
  };
}

export const SENTIMENT_MODEL_FILE = projectPath('src/understanding/sentiment/sentiment-model.json');

let shipped: SentimentModel | undefined;
/** The model shipped with the code, read once on first use. */
export function shippedSentimentModel(): SentimentModel {
  shipped ??= sentimentModelFrom(JSON.parse(readFileSync(SENTIMENT_MODEL_FILE, 'utf8')) as StoredSentimentModel);
  return shipped;
}
