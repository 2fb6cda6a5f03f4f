import type { Db, Queryable } from '../db/db.js';
import { toVectorLiteral } from './embedder.js';
import type { LocalHashEmbedder } from './local-embedder.js';

export interface Example {
  articleId: string;
  text: string;
}

export interface TrainedIntents {
  classes: string[];
  weights: Float64Array[];
  bias: Float64Array;
}

// Enough passes for a few hundred examples; capped by a work budget on large knowledge bases.
const MAX_EPOCHS = 30;
const WORK_BUDGET = 2e9;

/**
 * Multinomial logistic regression over the local embedder's hashed features, trained by
 * seeded SGD so the same knowledge base always yields the same model. Where retrieval asks
 * "which text is closest", this asks "which article do questions like this belong to",
 * learning which words tell similar articles apart.
 */
export function trainIntents(examples: Example[], embedder: LocalHashEmbedder): TrainedIntents {
  const classes = [...new Set(examples.map((e) => e.articleId))].sort();
  const C = classes.length;
  const D = embedder.dims;
  const classOf = new Map(classes.map((c, i) => [c, i]));
  const data = examples.map((e) => ({ x: embedder.sparse(e.text), y: classOf.get(e.articleId) as number }));
  const weights = classes.map(() => new Float64Array(D));
  const bias = new Float64Array(C);
  if (C < 2) return { classes, weights, bias };
  const nnz = data.reduce((s, d) => s + d.x.index.length, 0) / Math.max(1, data.length);
  const epochs = Math.max(3, Math.min(MAX_EPOCHS, Math.floor(WORK_BUDGET / (C * data.length * Math.max(1, nnz)))));
  let seed = 42;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const z = new Float64Array(C);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const rate = 1 / (1 + epoch * 0.1);
    for (let i = data.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [data[i], data[j]] = [data[j] as (typeof data)[number], data[i] as (typeof data)[number]];
    }
    for (const { x, y } of data) {
      let max = -Infinity;
      for (let c = 0; c < C; c++) {
        const w = weights[c] as Float64Array;
        let s = bias[c] as number;
        for (let k = 0; k < x.index.length; k++) s += (w[x.index[k] as number] as number) * (x.value[k] as number);
        z[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < C; c++) {
        z[c] = Math.exp((z[c] as number) - max);
        sum += z[c] as number;
      }
      for (let c = 0; c < C; c++) {
        const g = ((z[c] as number) / sum - (c === y ? 1 : 0)) * rate;
        if (Math.abs(g) < 1e-6) continue;
        bias[c] = (bias[c] as number) - g;
        const w = weights[c] as Float64Array;
        for (let k = 0; k < x.index.length; k++) {
          const idx = x.index[k] as number;
          w[idx] = (w[idx] as number) - g * (x.value[k] as number);
        }
      }
    }
  }
  return { classes, weights, bias };
}

/** Each published article's title and example questions (and, for articles without questions, its opening). */
export async function intentExamples(db: Queryable): Promise<Example[]> {
  const rows = await db.query<{ id: string; title: string; questions: string[]; body: string }>(
    "SELECT id, title, questions, body FROM articles WHERE status = 'published' ORDER BY id",
  );
  return rows.flatMap((a) => {
    const texts = [a.title, ...a.questions];
    if (a.questions.length < 2) texts.push(a.body.slice(0, 400));
    return texts.map((text) => ({ articleId: a.id, text }));
  });
}

/** Retrains on the current knowledge base and replaces the stored model in one transaction. */
export async function refreshIntentModel(db: Db, embedder: LocalHashEmbedder): Promise<number> {
  const trained = trainIntents(await intentExamples(db), embedder);
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM article_intents WHERE model = $1', [embedder.model]);
    if (trained.classes.length < 2) return;
    for (const [c, articleId] of trained.classes.entries()) {
      await tx.query('INSERT INTO article_intents (article_id, model, weights, bias) VALUES ($1, $2, $3::vector, $4)', [
        articleId,
        embedder.model,
        toVectorLiteral(trained.weights[c] as Float64Array),
        trained.bias[c],
      ]);
    }
  });
  return trained.classes.length;
}
