import { terms } from '../text/tokenise.js';
import { features, hash } from './local-embedder.js';
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
  query: { terms: string[]; text: string; features?: ReadonlyMap<string, number> },
  title: string,
  passages: PassageEvidence[],
  tuning: PassageTuning = defaultPassageTuning,
): RankedPassage[] {
  const article = prepared(title, passages);
  const { units, df } = article;
  const n = units.length;
  const weight = new Map<string, number>();
  for (const t of new Set(query.terms)) {
    const k = units.reduce((c, u) => c + (u.held.has(t) ? 1 : 0), 0);
    if (k > 0) weight.set(t, Math.log(n / k));
  }
  let total = 0;
  for (const w of weight.values()) total += w;
  const weighted = [...weight];
  // The question's features weighted like the passages' (see prepare): a cosine over its own features.
  const base = compactQuery(query.features ?? features(query.text));
  const q: Grams = { ids: base.ids, weights: Float64Array.from(base.weights) };
  let queryNorm = 0;
  for (let i = 0, j = 0; i < q.ids.length; i++) {
    const id = q.ids[i] as number;
    while (j < df.ids.length && (df.ids[j] as number) < id) j++;
    const count = j < df.ids.length && df.ids[j] === id ? (df.weights[j] as number) : 1;
    const w = (q.weights[i] as number) * Math.log((n + 1) / count);
    q.weights[i] = w;
    queryNorm += w * w;
  }
  queryNorm = Math.sqrt(queryNorm);

  return units
    .map((u, k) => {
      let inBody = 0;
      let inHeading = 0;
      for (const [t, w] of weighted) {
        if (u.held.has(t)) inBody += w;
        if (u.heading.has(t)) inHeading += w;
      }
      const lexical = total > 0 ? (tuning.termWeight * inBody + tuning.headingWeight * inHeading) / total : 0;
      const dot = dotOf(q, u.grams);
      const text = queryNorm > 0 ? dot / queryNorm : 0;
      const similarity = Math.max(...u.members.map((m) => passages[m]?.similarity ?? 0));
      const score = similarity * (u.opening ? tuning.leadPrior : 1) + lexical + tuning.textWeight * text;
      return { index: u.index, score, leadIn: u.leadIn, k };
    })
    .sort((a, b) => b.score - a.score || a.k - b.k)
    .map(({ index, score, leadIn }) => (leadIn === undefined ? { index, score } : { index, score, leadIn }));
}

interface Unit {
  /** The passage quoted (index into the passages given). */
  index: number;
  /** The passages it stands for: itself, and the opening that leads into it. */
  members: number[];
  opening: boolean;
  leadIn?: number;
  held: Set<string>;
  heading: Set<string>;
  /** Its features weighted by ln((n+1)/df) over the article's units, to unit length. */
  grams: Grams;
}

/**
 * Features as sorted 32-bit hashes and their values: a cached article costs a few kilobytes
 * instead of a Map of n-gram strings per passage (hundreds of megabytes over a 10k-chunk
 * knowledge base). Two features of one article sharing a hash is a chance of about 1 in 10^4.
 */
interface Grams {
  ids: Uint32Array;
  /** Single precision in the cache (half the memory; passage choices unchanged on the passage set). */
  weights: Float32Array | Float64Array;
}

function compact(
  m: ReadonlyMap<string, number>,
  precision: typeof Float32Array | typeof Float64Array = Float32Array,
): Grams {
  const entries = [...m].map(([k, v]) => [hash(k), v] as const).sort((a, b) => a[0] - b[0]);
  return { ids: Uint32Array.from(entries, (e) => e[0]), weights: precision.from(entries.map((e) => e[1])) };
}

// A turn ranks the passages of each of its articles against the same question: its features
// are compacted once (the map is the one `features` keeps for the last text).
let lastQuery: { features: ReadonlyMap<string, number>; grams: Grams } | undefined;

function compactQuery(m: ReadonlyMap<string, number>): Grams {
  if (lastQuery?.features !== m) lastQuery = { features: m, grams: compact(m, Float64Array) };
  return lastQuery.grams;
}

/** Sum over the features both hold (merge of two sorted lists; a repeated hash meets each of the other's). */
function dotOf(a: Grams, b: Grams): number {
  let dot = 0;
  let j = 0;
  for (let i = 0; i < a.ids.length; i++) {
    const id = a.ids[i] as number;
    while (j < b.ids.length && (b.ids[j] as number) < id) j++;
    for (let k = j; k < b.ids.length && b.ids[k] === id; k++)
      dot += (a.weights[i] as number) * (b.weights[k] as number);
  }
  return dot;
}

// What ranking needs of an article's passages depends only on their text: kept for the recent
// articles, so a turn tokenises only the question. Found by title, then compared passage by
// passage: the index hands the same strings every time, so the comparison is by reference
// (a key joining the article's text was a copy of it for every article of every turn).
const preparedCache = new Map<string, { passages: PassageText[]; value: Prepared }[]>();
let preparedCount = 0;
export const PREPARED_CACHE_SIZE = 2048;
/** Versions kept of one title (an article edited several times, or two articles named alike). */
const VERSIONS_PER_TITLE = 4;

type PassageText = Pick<PassageEvidence, 'position' | 'searchText' | 'content'>;

/** What ranking reads of an article's passages (cached; the in-memory index prepares it ahead). */
export function preparePassages(title: string, passages: PassageEvidence[]): void {
  prepared(title, passages);
}

/** An article's units, and in how many of them each feature occurs (`weights` holds the counts). */
interface Prepared {
  units: Unit[];
  df: Grams;
}

function samePassages(a: PassageText[], b: PassageText[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as PassageText;
    const y = b[i] as PassageText;
    if (x.position !== y.position || x.searchText !== y.searchText || x.content !== y.content) return false;
  }
  return true;
}

function prepared(title: string, passages: PassageEvidence[]): Prepared {
  const versions = preparedCache.get(title);
  const hit = versions?.find((v) => samePassages(v.passages, passages));
  if (hit) return hit.value;
  const value = prepare(title, passages);
  const entry = {
    passages: passages.map(({ position, searchText, content }) => ({ position, searchText, content })),
    value,
  };
  if (versions) {
    versions.push(entry);
    if (versions.length > VERSIONS_PER_TITLE) versions.shift();
    else preparedCount++;
  } else {
    if (preparedCount >= PREPARED_CACHE_SIZE) {
      const [oldest, dropped] = preparedCache.entries().next().value as [string, unknown[]];
      preparedCache.delete(oldest);
      preparedCount -= dropped.length;
    }
    preparedCache.set(title, [entry]);
    preparedCount++;
  }
  return value;
}

function prepare(title: string, passages: PassageEvidence[]): Prepared {
  const titleTerms = terms(title);
  const titleSet = new Set(titleTerms);
  const joinedTitle = titleTerms.join(' ');
  type Draft = Omit<Unit, 'grams'> & { grams: ReadonlyMap<string, number> };
  const drafts = passages.map((p, index): Draft => {
    const h = headingOf(p.content);
    return {
      index,
      members: [index],
      opening: p.position === 0,
      held: new Set(ownTerms(p, joinedTitle)),
      heading: new Set((h ? terms(h) : []).filter((t) => !titleSet.has(t))),
      grams: features(p.content),
    };
  });
  const [first, second] = drafts;
  const opening = passages[0];
  if (
    first &&
    second &&
    opening &&
    first.opening &&
    headingOf(opening.content) === null &&
    announcesWhatFollows(opening.content)
  ) {
    drafts.splice(0, 2, {
      ...second,
      members: [first.index, second.index],
      opening: true,
      leadIn: first.index,
      held: new Set([...first.held, ...second.held]),
      grams: sumGrams(first.grams, second.grams),
    });
  }
  const n = drafts.length;
  const df = new Map<string, number>();
  for (const u of drafts) for (const k of u.grams.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const units = drafts.map((u): Unit => {
    let norm = 0;
    const weighted = new Map<string, number>();
    for (const [k, v] of u.grams) {
      const w = v * Math.log((n + 1) / (df.get(k) ?? 1));
      weighted.set(k, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [k, w] of weighted) weighted.set(k, w / norm);
    return { ...u, grams: compact(weighted) };
  });
  return { units, df: compact(df) };
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

function sumGrams(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}
