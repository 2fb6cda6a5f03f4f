import type { ArticleContent } from '../knowledge/article.js';

/** Mulberry32: a small seeded generator, so the same seed always builds the same knowledge base. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// Qualifiers make each variant a distinct article (a region, a customer segment), as a large
// real knowledge base has many near-neighbours of the same topic.
const PLACES = {
  ar: ['الرياض', 'جدة', 'الدمام', 'مكة المكرمة', 'المدينة المنورة', 'أبها', 'تبوك', 'القصيم', 'حائل', 'جازان'],
  en: ['Riyadh', 'Jeddah', 'Dammam', 'Makkah', 'Madinah', 'Abha', 'Tabuk', 'Qassim', 'Hail', 'Jazan'],
};
const SEGMENTS = {
  ar: [
    'عملاء نخيل بلس',
    'طلبات الأجهزة الإلكترونية',
    'طلبات الأثاث',
    'عملاء الشركات',
    'الطلبات الدولية',
    'البقالة',
    'الأجهزة المنزلية الكبيرة',
    'الهدايا',
    'الطلبات المجدولة',
    'البائعين في السوق',
  ],
  en: [
    'Nakheel Plus members',
    'electronics orders',
    'furniture orders',
    'business customers',
    'international orders',
    'groceries',
    'large appliances',
    'gift orders',
    'scheduled orders',
    'marketplace sellers',
  ],
};
const NOTE = {
  ar: (place: string, segment: string) => `تنطبق هذه التفاصيل على ${segment} في ${place}.`,
  en: (place: string, segment: string) => `These details apply to ${segment} in ${place}.`,
};

function qualifier(lang: 'ar' | 'en', k: number) {
  const places = PLACES[lang];
  const segments = SEGMENTS[lang];
  const place = places[k % places.length] as string;
  const segment = segments[Math.floor(k / places.length) % segments.length] as string;
  const round = Math.floor(k / (places.length * segments.length));
  const suffix = round > 0 ? ` (${round + 1})` : '';
  const qualifier = lang === 'ar' ? `${segment} في ${place}${suffix}` : `${segment} in ${place}${suffix}`;
  return { qualifier, title: ` — ${qualifier}`, note: NOTE[lang](place, segment) + suffix };
}

/** An article's body as its opening and its `## ` sections. */
function sections(body: string): { intro: string; parts: string[] } {
  const [intro = '', ...parts] = body.split(/\n(?=## )/);
  return { intro: intro.trim(), parts: parts.map((p) => p.trim()) };
}

/** Plain paragraphs (no headings, no lists) to borrow into other articles of the same language. */
function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 60 && !p.startsWith('#') && !/^(\d+\.|-)\s/.test(p));
}

/**
 * N articles built from the sample knowledge base: the originals first (so labelled questions
 * still find their article), then variants of each original with a distinct title, shuffled
 * and partly dropped sections, a paragraph borrowed from another article of the same language,
 * a subset of the example questions, and a sentence naming the variant's region and segment.
 * Deterministic for a given sample and seed.
 */
export function syntheticKnowledgeBase(sample: ArticleContent[], n: number, seed = 1): ArticleContent[] {
  const originals = [...sample].filter((a) => a.status === 'published').sort((a, b) => a.id.localeCompare(b.id));
  if (originals.length === 0) throw new Error('the sample knowledge base has no published articles');
  const random = seededRandom(seed);
  if (n <= originals.length) return shuffle(originals, random).slice(0, n);
  const borrowable = {
    ar: originals.filter((a) => a.lang === 'ar').flatMap((a) => paragraphs(a.body).map((p) => ({ id: a.id, p }))),
    en: originals.filter((a) => a.lang === 'en').flatMap((a) => paragraphs(a.body).map((p) => ({ id: a.id, p }))),
  };
  const out: ArticleContent[] = [...originals];
  for (let j = originals.length; j < n; j++) {
    const base = originals[j % originals.length] as ArticleContent;
    const k = Math.floor(j / originals.length) - 1;
    const q = qualifier(base.lang, k);
    const { intro, parts } = sections(base.body);
    let kept = shuffle(parts, random);
    if (kept.length > 2 && random() < 0.4) kept = kept.slice(0, kept.length - 1);
    const pool = borrowable[base.lang].filter((b) => b.id !== base.id);
    const borrowed = pool.length ? (pool[Math.floor(random() * pool.length)] as { p: string }).p : '';
    const body = [intro, q.note, ...kept, borrowed].filter(Boolean).join('\n\n');
    const questions = shuffle(base.questions, random)
      .slice(0, Math.max(1, Math.ceil(base.questions.length * (0.5 + random() * 0.5))))
      .map((question) => `${question} — ${q.qualifier}`);
    out.push({
      ...base,
      id: `${base.id}-x${k + 1}`,
      title: `${base.title}${q.title}`,
      questions,
      body,
      tags: [...base.tags, `segment-${Math.floor(k / PLACES.ar.length) % SEGMENTS.ar.length}`],
    });
  }
  return out;
}
