import { terms } from '../text/tokenise.js';
import { features } from './local-embedder.js';
import { announcesWhatFollows, headingOf } from './sections.js';

/** One passage of an article as ranking sees it. */
export interface PassageEvidence {
  /** Where it sits in the article: 0 is the opening (or the first section). */
  position: number;
  content: string;
  /** Stemmed terms of the article's title then the passage, space-separated (the chunk's search text). */
  searchText: string;
  /** Cosine similarity of the passage (embedded with its title) to the query. */
  similarity: number;
}

export interface PassageTuning {
  /** Weight of the share of the question's distinguishing terms the passage holds. */
  termWeight: number;
  /** Weight of that share found in the passage's heading (the title's words left out). */
  headingWeight: number;
  /** Weight of the passage's own words (character n-grams, without the title) against the question's. */
  textWeight: number;
  /** The opening's prior: it answers the question the title asks. */
  leadPrior: number;
}

// Chosen on the development half of test/fixtures/eval/passages.jsonl, in a flat region
// (neighbouring settings score within a case or two of it).
export const defaultPassageTuning: PassageTuning = {
  termWeight: 0.2,
  headingWeight: 0.4,
  textWeight: 1,
  leadPrior: 1.2,
};

export interface RankedPassage {
  /** Index into the passages given. */
  index: number;
  score: number;
  /** The opening that leads into this passage (announces it), quoted before it. */
  leadIn?: number;
}

/**
 * Ranks an article's passages for a question, best first. All of them share the article's
 * topic, so what tells them apart is the question's words that only some of them hold: each
 * query term is weighted by how few of the article's passages contain it (ln(n / df): a word
 * in every passage weighs nothing). A passage scores
 *  - its similarity to the question (embedded with the title; the opening times a prior, since
 *    it answers the question the title asks),
 *  - the weighted share of the distinguishing terms it holds, and that share in its heading
 *    (the title's words left out: they name the topic, not a section),
 *  - the cosine of its own text's character n-grams and words with the question's, weighted
 *    the same way (within the article), which meets dialect and inflected forms the stemmer
 *    leaves apart.
 * A question about the whole topic has no distinguishing word, and the opening wins on its
 * prior. An opening that only announces what follows ("these are the most common reasons.",
 * «فيُرجى التحقق مما يلي») is no answer on its own: it joins the first section.
 */
export function rankPassages(
  query: { terms: string[]; text: string },
  title: string,
  passages: PassageEvidence[],
  tuning: PassageTuning = defaultPassageTuning,
): RankedPassage[] {
  const titleTerms = terms(title);
  const titleSet = new Set(titleTerms);
  const joinedTitle = titleTerms.join(' ');
  const units = passages.map((p, index) => ({
    index,
    opening: p.position === 0,
    leadIn: undefined as number | undefined,
    similarity: p.similarity,
    held: new Set(ownTerms(p, joinedTitle)),
    heading: new Set(headingTerms(p.content).filter((t) => !titleSet.has(t))),
    grams: gramsOf(p.content),
  }));
  const first = units[0];
  const second = units[1];
  const firstPassage = passages[0];
  if (
    first &&
    second &&
    firstPassage &&
    first.opening &&
    headingOf(firstPassage.content) === null &&
    announcesWhatFollows(firstPassage.content)
  ) {
    units.splice(0, 2, {
      ...second,
      opening: true,
      leadIn: first.index,
      similarity: Math.max(first.similarity, second.similarity),
      held: new Set([...first.held, ...second.held]),
      grams: sumGrams(first.grams, second.grams),
    });
  }

  const n = units.length;
  const weight = new Map<string, number>();
  for (const t of new Set(query.terms)) {
    const df = units.reduce((k, u) => k + (u.held.has(t) ? 1 : 0), 0);
    if (df > 0) weight.set(t, Math.log(n / df));
  }
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  const text = textSimilarity(
    features(query.text),
    units.map((u) => u.grams),
  );

  return units
    .map((u, k) => {
      let inBody = 0;
      let inHeading = 0;
      for (const [t, w] of weight) {
        if (u.held.has(t)) inBody += w;
        if (u.heading.has(t)) inHeading += w;
      }
      const lexical = total > 0 ? (tuning.termWeight * inBody + tuning.headingWeight * inHeading) / total : 0;
      const score =
        u.similarity * (u.opening ? tuning.leadPrior : 1) + lexical + tuning.textWeight * (text[k] as number);
      return { index: u.index, score, leadIn: u.leadIn, k };
    })
    .sort((a, b) => b.score - a.score || a.k - b.k)
    .map(({ index, score, leadIn }) => (leadIn === undefined ? { index, score } : { index, score, leadIn }));
}

/**
 * The passage's own terms: its search text without the title's, which every passage carries
 * (the search text is the title's terms then the passage's; recomputed if it ever is not).
 */
function ownTerms(p: PassageEvidence, titleTerms: string): string[] {
  if (!titleTerms) return p.searchText.split(' ');
  if (p.searchText === titleTerms) return [];
  if (p.searchText.startsWith(`${titleTerms} `)) return p.searchText.slice(titleTerms.length + 1).split(' ');
  return terms(p.content);
}

function headingTerms(content: string): string[] {
  const h = headingOf(content);
  return h ? terms(h) : [];
}

// Features of a passage's text are the same every time it is ranked: kept for the recent ones.
const gramCache = new Map<string, Map<string, number>>();
const GRAM_CACHE_SIZE = 4096;

function gramsOf(content: string): Map<string, number> {
  const hit = gramCache.get(content);
  if (hit) return hit;
  const grams = features(content);
  if (gramCache.size >= GRAM_CACHE_SIZE) gramCache.delete(gramCache.keys().next().value as string);
  gramCache.set(content, grams);
  return grams;
}

function sumGrams(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

/** Cosine of the question's features with each passage's, each feature weighted by ln((n+1)/df) over the passages. */
function textSimilarity(query: Map<string, number>, passages: Map<string, number>[]): number[] {
  const n = passages.length;
  const df = new Map<string, number>();
  for (const p of passages) for (const k of p.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const idf = (k: string) => Math.log((n + 1) / (df.get(k) ?? 1));
  let queryNorm = 0;
  for (const [k, v] of query) queryNorm += (v * idf(k)) ** 2;
  return passages.map((p) => {
    let dot = 0;
    let norm = 0;
    for (const [k, v] of p) {
      const w = idf(k);
      norm += (v * w) ** 2;
      const q = query.get(k);
      if (q !== undefined) dot += q * v * w * w;
    }
    return queryNorm > 0 && norm > 0 ? dot / Math.sqrt(queryNorm * norm) : 0;
  });
}
