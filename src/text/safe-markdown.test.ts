/**
 * What reaches a customer from an editor's article or a model's answer. Judged the way it will
 * be shown: rendered by a real CommonMark renderer (markdown-it with raw HTML allowed, the most
 * permissive setting a channel could use), then searched for anything a browser would run.
 */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { safeInline, safeMarkdown } from './safe-markdown.js';

const permissive = new MarkdownIt({ html: true, linkify: true });
// markdown-it refuses javascript: links itself; let everything through so the test judges our output.
permissive.validateLink = () => true;

function render(markdown: string): string {
  return permissive.render(markdown);
}

/** Script a browser would run, or a way to load or hide something, in rendered HTML. */
function dangerIn(html: string): string | undefined {
  const checks: [RegExp, string][] = [
    [/<\s*(script|style|iframe|object|embed|svg|math|template|img|form|input|base|meta|link)\b/i, 'tag'],
    // Inside a tag: as text, `onerror=` is only words.
    [/<[a-z][^>]*\son[a-z-]+\s*=/i, 'event handler'],
    [/(href|src)\s*=\s*"\s*(javascript|vbscript|data|file):/i, 'URL scheme'],
    [/[\u202A-\u202E\u2066-\u2069]/, 'bidi control'],
    [/<!--/, 'comment'],
  ];
  for (const [re, what] of checks) if (re.test(html)) return what;
  // Entities that decode to a scheme: `java&#115;cript:`.
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&[^;]+;/g, ''));
  if (hrefs.some((h) => /^\s*(javascript|vbscript|data):/i.test(h))) return 'encoded scheme';
  return undefined;
}

const ATTACKS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<<b>script>alert(1)<</b>/script>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](javascript&colon;alert(1))',
  '[click](<javascript:alert(1)>)',
  '<javascript:alert(1)>',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '> [ref]: javascript:alert(1)\n\n[ref]',
  '![img](javascript:alert(1))',
  '[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="javascript:alert(1)">x</a>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{display:none}</style>',
  '(x<!---->javascript:alert(1))',
  '`code` <img src=x onerror=alert(1)> `more`',
  '    <script>alert(1)</script>',
  '- ```\n  <script>alert(1)</script>\n  ```',
  'إرجاع \u202Egnp.exe\u202C الطلب',
  '<div onclick="alert(1)">انقر</div>',
  '[x](https://example.com "title" onmouseover=alert(1))',
];

describe('safeMarkdown', () => {
  it.each(ATTACKS)('renders %j with nothing a browser would run', (attack) => {
    const out = safeMarkdown(attack);
    expect(dangerIn(render(out)), out).toBeUndefined();
    expect(safeMarkdown(out)).toBe(out);
  });

  it('keeps what answers need: Arabic text, emphasis, lists, safe links, and code as written', () => {
    const answer = [
      '## سياسة الإرجاع',
      '',
      'يمكنك **إرجاع** الطلب خلال *15 يوماً*:',
      '',
      '1. افتح [طلباتي](https://shop.example/orders)',
      '2. اختر «إرجاع»',
      '',
      'Contact [support](mailto:help@shop.example) or see [the guide](/help/returns).',
      '',
      '```',
      'if (a < b && c > d) return;',
      '```',
    ].join('\n');
    const out = safeMarkdown(answer);
    expect(out).toBe(answer);
    const html = render(out);
    expect(html).toContain('<strong>إرجاع</strong>');
    expect(html).toContain('<a href="https://shop.example/orders">طلباتي</a>');
    expect(html).toContain('<a href="mailto:help@shop.example">support</a>');
    expect(html).toContain('<a href="/help/returns">the guide</a>');
    expect(html).toContain('if (a &lt; b &amp;&amp; c &gt; d) return;');
  });

  it('keeps comparisons and ampersands that are prose, not markup', () => {
    for (const prose of ['orders < 100 SAR ship for 15 SAR', 'Terms & conditions', 'a<b then c=d', '3 > 2']) {
      expect(render(safeMarkdown(prose)).replace(/<\/?p>\n?/g, '')).toBe(
        prose.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      );
    }
  });

  it('drops script and style with their content, and keeps the text of harmless tags', () => {
    expect(safeMarkdown('قبل<script>alert(1)</script>بعد')).not.toContain('alert');
    expect(render(safeMarkdown('<b>مهم</b> جداً'))).toContain('مهم');
  });

  it('never throws and is stable for any text, and the rendering is always safe', () => {
    const piece = fc.constantFrom(
      '<',
      '>',
      '&',
      '#',
      ';',
      ':',
      '(',
      ')',
      '[',
      ']',
      '!',
      '`',
      '~',
      '"',
      "'",
      '=',
      ' ',
      '\n',
      '\t',
      '\\',
      '-',
      '*',
      '|',
      'script',
      'img',
      'javascript',
      'onerror',
      'src',
      'href',
      'x',
      'مرحبا',
      '&#',
      '\u202E',
      '<!--',
      '-->',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const out = safeMarkdown(pieces.join(''));
        expect(safeMarkdown(out)).toBe(out);
        expect(dangerIn(render(out)), out).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('safeInline', () => {
  it('gives one line of text for a title: no tags, no link syntax, no bidi overrides', () => {
    expect(safeInline('سياسة <b>الإرجاع</b>\n[اقرأ](javascript:x)')).toBe('سياسة الإرجاع اقرأ');
    expect(safeInline('Refunds \u202Etxt.exe')).toBe('Refunds txt.exe');
    expect(safeInline('  many   spaces  ')).toBe('many spaces');
  });
});
