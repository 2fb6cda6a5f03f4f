import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARTICLE_STATUSES, type ArticleContent } from '../../src/knowledge/article.js';
import { ArticleFormatError, parseArticle, renderArticle } from '../../src/knowledge/markdown.js';

// Pieces that are hard for YAML and Markdown: indicators, quotes, comment and document marks,
// words YAML would read as other types, Arabic letters, diacritics, tatweel and punctuation.
const tricky = [
  ':',
  ': ',
  ' #',
  '#',
  "'",
  '"',
  '-',
  '- ',
  '---',
  '...',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a',
  '*b',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '?',
  '\\',
  '\t',
  'yes',
  'no',
  'null',
  '~',
  'true',
  '0x1F',
  '1e3',
  '007',
  '.5',
  '2024-01-01',
];
const arabic = ['و', 'ين', ' طلبي', 'الاسترجاع', 'ً', 'ّ', 'ـ', '،', '؟', '؛', '٣', 'ﻻ', 'SN-2048'];
const latin = ['a', 'Refund', ' card', 'x', 'Z', '9', ' '];
const piece = fc.constantFrom(...tricky, ...arabic, ...latin);
const words = (max: number, extra: string[] = []) =>
  fc
    .array(extra.length ? fc.oneof(piece, fc.constantFrom(...extra)) : piece, { minLength: 1, maxLength: max })
    .map((p) => p.join('').trim())
    .filter((s) => s.length > 0);
const oneLine = words(12);
const multiLine = words(40, ['\n', '\n\n', '\n---\n', '\n- item', '\n## heading', '\r\n']);
const idText = fc
  .array(
    fc.constantFrom(':', '#', "'", '"', '-', '.', '_', '[', '&', '*', '!', '%', 'yes', 'null', '1', 'ab', 'و', 'ـ'),
    {
      minLength: 1,
      maxLength: 10,
    },
  )
  .map((p) => p.join(''));

const articleArb: fc.Arbitrary<ArticleContent> = fc.record({
  id: idText,
  title: oneLine,
  lang: fc.constantFrom('ar' as const, 'en' as const),
  tags: fc.array(oneLine.map((t) => t.slice(0, 60).trim()).filter(Boolean), { maxLength: 5 }),
  team: fc.option(oneLine.map((t) => t.slice(0, 60).trim()).filter(Boolean), { nil: null }),
  questions: fc.array(oneLine, { maxLength: 4 }),
  body: multiLine,
  status: fc.constantFrom(...ARTICLE_STATUSES),
});

describe('article files', () => {
  it('parseArticle(renderArticle(a)) gives back a for any valid article', () => {
    fc.assert(
      fc.property(articleArb, (a) => {
        expect(parseArticle(renderArticle(a), 'x.md', 'fallback')).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips multi-line titles and questions too', () => {
    const lines = words(20, ['\n', ' \n ']);
    fc.assert(
      fc.property(articleArb, lines, lines, (a, title, question) => {
        const b = { ...a, title, questions: [question] };
        expect(parseArticle(renderArticle(b), 'x.md', 'fallback')).toEqual(b);
      }),
      { numRuns: 200 },
    );
  });

  it('takes the id from the file name when the front matter has none', () => {
    const a = parseArticle('---\ntitle: متى يصل المبلغ؟\nlang: ar\n---\nخلال ١٠ أيام.', 'ar/refund.md', 'refund');
    expect(a).toEqual({
      id: 'refund',
      title: 'متى يصل المبلغ؟',
      lang: 'ar',
      tags: [],
      team: null,
      questions: [],
      body: 'خلال ١٠ أيام.',
      status: 'published',
    });
  });

  it('names the file and the field of every problem', () => {
    const fails = (text: string) => {
      try {
        parseArticle(text, 'f.md', 'f');
      } catch (error) {
        expect(error).toBeInstanceOf(ArticleFormatError);
        return (error as ArticleFormatError).field;
      }
      throw new Error('expected a failure');
    };
    expect(fails('no front matter')).toBe('front matter');
    expect(fails('---\ntitle: [x\n---\nbody')).toBe('front matter');
    expect(fails('---\ntitle: T\nlang: fr\n---\nbody')).toBe('lang');
    expect(fails('---\ntitle: T\nlang: en\n---\n  \n')).toBe('body');
    expect(fails('---\nid: a/b\ntitle: T\nlang: en\n---\nbody')).toBe('id');
    expect(fails('---\ntitle: T\nlang: en\nstatus: live\n---\nbody')).toBe('status');
    expect(fails('---\ntitle: T\nlang: en\nauthor: me\n---\nbody')).toBe('author');
  });
});
