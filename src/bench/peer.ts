import { percentile, readRetrievalCases } from '../eval/cases.js';
import { readFolder } from '../knowledge/folder.js';
import { knowledgeBase } from '../knowledge/knowledge-base.js';
import { LocalHashEmbedder } from '../knowledge/local-embedder.js';
import { throwawayDatabase } from '../platform/db/throwaway.js';
import { round, since } from './stats.js';

export interface PeerSide {
  top1: number;
  p50_ms: number;
  p95_ms: number;
}

export interface PeerResult {
  set: string;
  cases: number;
  articles: number;
  ours: PeerSide;
  /** Absent when the peer library is not installed (`npm i -D minisearch`). */
  peer?: PeerSide & { library: string };
  peer_missing?: string;
}

const PEER = 'minisearch';

// biome-ignore lint/suspicious/noExplicitAny: the peer library is optional and untyped here
type AnyPeer = any;

/** The peer library, if installed: its absence is reported, not fatal. */
async function loadPeer(): Promise<{ ctor: AnyPeer; version: string } | string> {
  try {
    const name = PEER;
    const mod = (await import(/* @vite-ignore */ name)) as { default: AnyPeer };
    return { ctor: mod.default, version: name };
  } catch {
    return `${PEER} is not installed (npm i -D ${PEER})`;
  }
}

/**
 * The same questions answered by our retrieval (the in-memory index over a throw-away database
 * loaded with the set's articles) and by the peer library indexing the same articles' titles,
 * example questions and bodies. Top-1 counts in-scope questions whose expected article ranks
 * first; latency is one question at a time, in this process.
 */
export async function comparePeer(kbDir: string, casesFile: string, label: string): Promise<PeerResult> {
  const cases = (await readRetrievalCases(casesFile)).filter((c) => c.expected);
  const { articles } = await readFolder(kbDir);
  // Both sides are warmed (the JIT, as in a running service) on the articles' own example
  // questions, never on the cases: neither keeps anything of one query for the next.
  const warmUp = articles.flatMap(({ article }) => article.questions).slice(0, 200);
  const db = await throwawayDatabase(process.env.DATABASE_URL);
  const ours: number[] = [];
  let oursRight = 0;
  try {
    const kb = knowledgeBase(db, new LocalHashEmbedder());
    await kb.importFolder(kbDir);
    await kb.ready();
    const retriever = await kb.retriever();
    for (const q of warmUp) await retriever.retrieve(q);
    for (const c of cases) {
      const t = performance.now();
      const r = await retriever.retrieve(c.question);
      ours.push(since(t));
      if (r.articles[0]?.articleId === c.expected) oursRight++;
    }
  } finally {
    await db.close();
  }
  const result: PeerResult = {
    set: label,
    cases: cases.length,
    articles: articles.length,
    ours: {
      top1: round(oursRight / Math.max(1, cases.length), 3),
      p50_ms: round(percentile(ours, 50)),
      p95_ms: round(percentile(ours, 95)),
    },
  };
  const peer = await loadPeer();
  if (typeof peer === 'string') return { ...result, peer_missing: peer };
  const index = new peer.ctor({
    fields: ['title', 'questions', 'body'],
    searchOptions: { boost: { title: 2, questions: 2 }, fuzzy: 0.2, prefix: true },
  });
  index.addAll(
    articles
      .filter((a) => a.article.status === 'published')
      .map(({ article: a }) => ({ id: a.id, title: a.title, questions: a.questions.join('\n'), body: a.body })),
  );
  const times: number[] = [];
  let right = 0;
  for (const q of warmUp) index.search(q);
  for (const c of cases) {
    const t = performance.now();
    const hits = index.search(c.question) as { id: string }[];
    times.push(since(t));
    if (hits[0]?.id === c.expected) right++;
  }
  return {
    ...result,
    peer: {
      library: peer.version,
      top1: round(right / Math.max(1, cases.length), 3),
      p50_ms: round(percentile(times, 50)),
      p95_ms: round(percentile(times, 95)),
    },
  };
}
