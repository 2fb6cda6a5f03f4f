import { LocalHashEmbedder } from '../knowledge/local-embedder.js';

export interface Clustered<T> {
  /** The first item that started the group: its identity while it stays in the window. */
  leader: T;
  items: T[];
}

/**
 * Cosine at or above which two customer questions count as one knowledge gap. The local
 * embedder's vectors mix stems, word pairs and character n-grams: rewordings of one question
 * ("how do I return an item" / "can I return the thing I bought" 0.39, «هل عندكم بطاقات هدايا» /
 * «ابي اشتري بطاقة هدية» 0.28) land above it, unrelated questions of one shop below 0.05.
 */
export const GAP_SIMILARITY = 0.25;

/**
 * Greedy leader clustering by cosine similarity: each text joins the group whose centroid it is
 * closest to, if close enough, else starts its own. One pass, no number of groups to choose,
 * and the order decides the leaders (callers pass oldest first, so a group keeps its leader).
 * The local embedder is ours and offline: questions never leave the server to be grouped.
 */
export function clusterBySimilarity<T>(
  items: T[],
  textOf: (item: T) => string,
  threshold = GAP_SIMILARITY,
  embedder = new LocalHashEmbedder(),
): Clustered<T>[] {
  const groups: { leader: T; items: T[]; sum: Float64Array }[] = [];
  for (const item of items) {
    const v = embedder.vector(textOf(item));
    let best: (typeof groups)[number] | undefined;
    let bestSim = threshold;
    for (const g of groups) {
      const sim = cosine(v, g.sum);
      if (sim >= bestSim) {
        best = g;
        bestSim = sim;
      }
    }
    if (best) {
      best.items.push(item);
      for (let i = 0; i < v.length; i++) best.sum[i] = (best.sum[i] as number) + (v[i] as number);
    } else groups.push({ leader: item, items: [item], sum: Float64Array.from(v) });
  }
  return groups.map(({ leader, items: members }) => ({ leader, items: members }));
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
