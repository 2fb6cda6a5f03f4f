import type { Db, Queryable } from '../platform/db/db.js';
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
 *
 * Weights are laid out feature-major (all classes of one feature side by side), so a sparse
 * example touches a few contiguous rows instead of one scattered cell per class: the same
 * arithmetic in the same order, several times faster on large knowledge bases. Training
 * yields to the event loop every few milliseconds, so an embedded server keeps answering
 * while a job retrains the model.
 */
export async function trainIntents(examples: Example[], embedder: LocalHashEmbedder): Promise<TrainedIntents> {
  const classes = [...new Set(examples.map((e) => e.articleId))].sort();
  const C = classes.length;
  const D = embedder.dims;
  const classOf = new Map(classes.map((c, i) => [c, i]));
  const data = examples.map((e) => ({ x: embedder.sparse(e.text), y: classOf.get(e.articleId) as number }));
  const bias = new Float64Array(C);
  if (C < 2) return { classes, weights: classes.map(() => new Float64Array(D)), bias };
  const W = new Float64Array(D * C);
  const nnz = data.reduce((s, d) => s + d.x.index.length, 0) / Math.max(1, data.length);
  const epochs = Math.max(3, Math.min(MAX_EPOCHS, Math.floor(WORK_BUDGET / (C * data.length * Math.max(1, nnz)))));
  let seed = 42;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const z = new Float64Array(C);
  const active = new Int32Array(C);
  const grad = new Float64Array(C);
  let lastYield = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const rate = 1 / (1 + epoch * 0.1);
    for (let i = data.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [data[i], data[j]] = [data[j] as (typeof data)[number], data[i] as (typeof data)[number]];
    }
    for (const { x, y } of data) {
      z.set(bias);
      for (let k = 0; k < x.index.length; k++) {
        const row = (x.index[k] as number) * C;
        const v = x.value[k] as number;
        for (let c = 0; c < C; c++) z[c] = (z[c] as number) + (W[row + c] as number) * v;
      }
      let max = -Infinity;
      for (let c = 0; c < C; c++) if ((z[c] as number) > max) max = z[c] as number;
      let sum = 0;
      for (let c = 0; c < C; c++) {
        z[c] = Math.exp((z[c] as number) - max);
        sum += z[c] as number;
      }
      // Only classes with a gradient worth applying are updated: after a few passes that is a
      // handful out of hundreds.
      let n = 0;
      for (let c = 0; c < C; c++) {
        const g = ((z[c] as number) / sum - (c === y ? 1 : 0)) * rate;
        if (Math.abs(g) < 1e-6) continue;
        bias[c] = (bias[c] as number) - g;
        grad[c] = g;
        active[n++] = c;
      }
      for (let k = 0; k < x.index.length; k++) {
        const row = (x.index[k] as number) * C;
        const v = x.value[k] as number;
        for (let a = 0; a < n; a++) {
          const c = active[a] as number;
          W[row + c] = (W[row + c] as number) - (grad[c] as number) * v;
        }
      }
      if (performance.now() - lastYield > 20) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  }
  const weights = classes.map((_, c) => {
    const w = new Float64Array(D);
    for (let f = 0; f < D; f++) w[f] = W[f * C + c] as number;
    return w;
  });
  return { classes, weights, bias };
}

/** Each published article's title and example questions (and, for articles without questions, its opening). */
export async function intentExamples(db: Queryable): Promise<Example[]> {
  // Generated phrasings (LLM_PARAPHRASES) teach the intent model too: dialect wordings are what it lacks.
  const rows = await db.query<{ id: string; title: string; questions: string[]; body: string; generated: string[] }>(
    `SELECT a.id, a.title, a.questions, a.body,
       coalesce((SELECT array_agg(p.question ORDER BY p.created_at, p.id) FROM learned_phrasings p
                 WHERE p.article_id = a.id AND p.origin = 'generated' AND p.status = 'accepted'), '{}') AS generated
     FROM articles a WHERE a.status = 'published' ORDER BY a.id`,
  );
  return rows.flatMap((a) => {
    const texts = [a.title, ...a.questions, ...a.generated];
    if (a.questions.length < 2) texts.push(a.body.slice(0, 400));
    return texts.map((text) => ({ articleId: a.id, text }));
  });
}

/** Retrains on the current knowledge base and replaces the stored model in one transaction. */
export async function refreshIntentModel(db: Db, embedder: LocalHashEmbedder): Promise<number> {
  const trained = await trainIntents(await intentExamples(db), embedder);
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
