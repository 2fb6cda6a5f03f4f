/**
 * Markdown that is safe to show a customer, whatever an editor or a model wrote: no raw HTML
 * (tags, comments, declarations), links and images only to http:, https:, mailto: or relative
 * URLs, no C0 control characters and no bidi embedding/override controls, no invisible tag or
 * zero-width characters.
 *
 * Markdown in, Markdown out: HTML sanitisers work on rendered HTML, and we hand Markdown to
 * channels that render it themselves. So instead of parsing fully, the output is built so that
 * a CommonMark renderer cannot read it differently from us where it matters:
 * - the only fenced code blocks kept verbatim open at column 0, where a fence is always a
 *   top-level block; any other fence-like line (indented, in a list or quote) is escaped and
 *   its content sanitised like prose;
 * - a code span is kept only when both backtick runs are on one line with no `|` between
 *   them (table cells split there), and every backtick we do not pair is escaped, so no
 *   renderer can pair them differently and expose what we left inside;
 * - each literal `<` or `&` is decided only once the rest of the output exists, because
 *   removing a tag can glue a `<` to a word (`<<b>script>`) or an `&` to an entity.
 * Never throws; safeMarkdown(safeMarkdown(x)) === safeMarkdown(x).
 */

const LT = '\u0000'; // a literal '<', resolved after everything else (NUL never survives clean())
const AMP = '\u0001'; // likewise for '&'
const CAP = 4096; // longest tag, URL or title we try to parse: bounds the work per character

// Their content is script, styling or another document, never text meant for a customer.
const DROP_WITH_CONTENT = new Set(
  'script style iframe object embed template noscript svg math noembed noframes applet'.split(' '),
);
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
// Invisible characters that carry text no one sees (Unicode tag characters spell out ASCII) or
// hide words inside others: zero-width space, word joiner and invisible operators, the BOM.
const INVISIBLE = /[\u200B\u2060-\u2064\uFEFF\u{E0000}-\u{E007F}]/gu;
// Character references a renderer would turn back into a control or bidi character.
const BAD_REF =
  '#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|202[a-eA-E]|206[6-9])|0*(?:[0-8]|1[124-9]|2\\d|3[01]|823[4-8]|829[4-7]));';
const BAD_ENTITY = new RegExp(`&(?=${BAD_REF})`, 'g');
const BAD_AMP = new RegExp(`${AMP}(?=${BAD_REF})`, 'g');
const NAMED: Record<string, string> = {
  colon: ':',
  Tab: '\t',
  NewLine: '\n',
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  sol: '/',
  bsol: '\\',
  period: '.',
  plus: '+',
  lpar: '(',
  rpar: ')',
  num: '#',
  excl: '!',
  quest: '?',
};

const PUNCT = /[!-/:-@[-`{-~]/;
const OPEN_TAG =
  /^<([A-Za-z][A-Za-z0-9-]*)(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*(\/?)>/;
const CLOSE_TAG = /^<\/([A-Za-z][A-Za-z0-9-]*)\s*>/;
const URI_AUTOLINK = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>/;
const EMAIL_AUTOLINK =
  /^<([A-Za-z0-9][\w.!#$%&'*+/=?^`{|}~-]*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>/;
// Attributes only HTML has; an unterminated `<img src=x onerror=…` is junk, `a<b then c=d` is prose.
const HOSTILE = /[\s/"'](?:on[a-z-]+|src|href|style|srcdoc|action|formaction|xlink:href|background|poster)\s*=/i;
const PLAIN_URL = /^[\w:/?#@!$%'+,;=.~-]+$/;
// `[label]: destination`, also inside quotes and list items; the destination may sit on the next line.
const DEFINITION =
  /(^|\n)([ \t]*(?:(?:>|[-+*]|\d{1,9}[.)])[ \t]*)*)(\[(?:\\[^\n]|[^\\[\]\n]|\n(?![ \t]*\n))*\]:)([ \t]*(?:\n[ \t]*)?)([^ \t\n]*)/g;
// No '|' in the info string: markdown-it would take such a line, with a delimiter row under it, for a table.
const FENCE = /^(`{3,})([^`|]*)$|^(~{3,})([^|]*)$/;

function clean(text: unknown): string {
  if (typeof text !== 'string') return '';
  // U+2028/9 are no line breaks to Markdown but are to some renderers' regular expressions.
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(INVISIBLE, '')
    .replace(/[\u2028\u2029]/g, ' ');
}

function decodeEntities(s: string): string {
  return s.replace(/&(?:#[xX]([0-9a-fA-F]+)|#(\d+)|([A-Za-z]{2,8}));?/g, (m, hex, dec, name) => {
    if (name) return NAMED[name] ?? m;
    const cp = hex ? Number.parseInt(hex, 16) : Number(dec);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
  });
}

function schemeOk(url: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return !m || SAFE_SCHEMES.has(m[1].toLowerCase());
}

/** Judged as a browser would read it after any renderer: escapes and (repeated) entities decoded, blanks gone. */
function urlAllowed(raw: string): boolean {
  let s = raw;
  for (let k = 0; k < 4; k++) {
    const d = decodeEntities(s.replace(/\\([!-/:-@[-`{-~])/g, '$1'));
    if (d === s) break;
    s = d;
  }
  s = s.replace(/[\s\p{Cc}\p{Cf}]/gu, '').replace(/^<+/, '');
  // A destination that carries a link of its own is what a looser renderer might link instead.
  return s.split(/\]\(<?/).every(schemeOk);
}

function encodeUrl(url: string, angled: boolean): string {
  const pct = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  const s = url.replace(angled ? /[`<> \t()]/g : /[`<>]/g, pct);
  return s.replace(BAD_ENTITY, '&amp;');
}

interface Destination {
  url: string;
  angled: boolean;
  tokenEnd: number;
  title: string;
  end: number; // index after the closing ')', or -1 when this is not a well-formed link tail
  capped: boolean; // too long to judge: treated as dangerous, which also keeps the work linear
}

function skipSpace(src: string, k: number): number {
  const m = /[ \t]*(?:\n[ \t]*)?/y;
  m.lastIndex = k;
  m.exec(src);
  return m.lastIndex;
}

/** Reads `(url "title")` starting at the '(' the way CommonMark does, but without giving up on a bad tail. */
function parseDestination(src: string, i: number): Destination {
  let k = skipSpace(src, i + 1);
  const angle = src[k] === '<' ? /^<((?:\\.|[^\\<>\n])*)>/.exec(src.slice(k, k + CAP)) : null;
  let url: string;
  let capped = false;
  if (angle) {
    url = angle[1];
    k += angle[0].length;
  } else {
    const start = k;
    for (let depth = 0, limit = Math.min(src.length, k + CAP); k < limit; k++) {
      const ch = src[k];
      if (ch === '\\' && PUNCT.test(src[k + 1] ?? '')) k++;
      else if (ch === ' ' || ch === '\t' || ch === '\n')
        break; // CommonMark: ASCII blanks only
      else if (ch === '(') depth++;
      else if (ch === ')' && depth-- === 0) break;
    }
    url = src.slice(start, k);
    capped = k === start + CAP;
  }
  const tokenEnd = k;
  k = skipSpace(src, k);
  let title = '';
  const q = src[k];
  if (q === '"' || q === "'" || q === '(') {
    const closeQ = q === '(' ? ')' : q;
    let j = k + 1;
    for (const limit = Math.min(src.length, k + CAP); j < limit && src[j] !== closeQ; j++) if (src[j] === '\\') j++;
    if (src[j] === closeQ) {
      title = src.slice(k, j + 1);
      k = skipSpace(src, j + 1);
    }
  }
  return { url, angled: Boolean(angle), tokenEnd, title, end: src[k] === ')' ? k + 1 : -1, capped };
}

/** Closing run for a backtick opener: same length, same line, no `|` in between; index after it or -1. */
function backtickCloser(src: string): (from: number, len: number) => number {
  let regionEnd = -1;
  let runs = new Map<number, number[]>();
  const seen = new Map<number, number>();
  return (from, len) => {
    if (from >= regionEnd) {
      regionEnd = from;
      while (regionEnd < src.length && src[regionEnd] !== '\n' && src[regionEnd] !== '|') regionEnd++;
      runs = new Map();
      seen.clear();
      for (let k = from; k < regionEnd; ) {
        if (src[k] !== '`') {
          k++;
          continue;
        }
        const start = k;
        while (src[k] === '`') k++;
        const list = runs.get(k - start) ?? [];
        list.push(start);
        runs.set(k - start, list);
      }
    }
    const list = runs.get(len);
    if (!list) return -1;
    let p = seen.get(len) ?? 0;
    while (p < list.length && list[p] < from) p++;
    seen.set(len, p);
    return p < list.length ? list[p] + len : -1;
  };
}

/** Runs on our own output, so definitions that only appeared once something between was removed count too. */
function dropDangerousDefinitions(text: string): string {
  const re = new RegExp(DEFINITION);
  let out = '';
  let done = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[1].length + m[2].length;
    const dest = m[5].replaceAll(LT, '<').replaceAll(AMP, '&');
    if (urlAllowed(dest)) {
      re.lastIndex = start + m[3].length; // a destination on the next line may start a definition itself
      continue;
    }
    const end = text.indexOf('\n', m.index + m[0].length);
    out += text.slice(done, start);
    done = end < 0 ? text.length : end;
    re.lastIndex = done;
  }
  return out + text.slice(done);
}

function sanitiseText(src: string, unlink: boolean): string {
  const out: string[] = [];
  let brackets: { open: number; bang: number }[] = [];
  let close = -1; // chunk holding a ']' that a following '(' still belongs to
  let closeOf: { open: number; bang: number } | undefined;
  const closer = backtickCloser(src);
  const memo = new Map<string, RegExpExecArray | null>();
  // Scanning only moves forward, so a search that found nothing (or something further on) stays valid.
  const search = (key: string, re: () => RegExp, from: number): RegExpExecArray | null => {
    const hit = memo.get(key);
    if (hit === null || (hit && hit.index >= from)) return hit;
    const r = re();
    r.lastIndex = from;
    const m = r.exec(src);
    memo.set(key, m);
    return m;
  };
  const paragraphEnd = (from: number) => search('blank', () => /\n[ \t]*(?=\n|$)|$/g, from)?.index ?? src.length;
  const lineEnd = (from: number) => search('eol', () => /\n|$/g, from)?.index ?? src.length;
  const emit = (s: string) => {
    out.push(s);
    close = -1;
  };

  const until = (key: string, needle: string, from: number, i: number): number => {
    const m = search(key, () => new RegExp(needle.replace(/[?\]]/g, '\\$&'), 'g'), from);
    if (m) return m.index + needle.length;
    emit(LT);
    return i + 1;
  };

  /** Handles the '<' at i; returns where scanning resumes. Anything skipped is removed. */
  const angle = (i: number): number => {
    const rest = src.slice(i, i + CAP);
    const uri = URI_AUTOLINK.exec(rest);
    const email = uri ? null : EMAIL_AUTOLINK.exec(rest);
    const auto = uri ?? (email && !email[1].includes('`') ? email : null);
    if (auto) {
      if (uri && !urlAllowed(uri[1])) return i + auto[0].length;
      const url = uri ? encodeUrl(uri[1], false) : auto[1];
      emit(unlink && PLAIN_URL.test(url) ? url : `<${url}>`);
      return i + auto[0].length;
    }
    if (rest.startsWith('<!-->')) return i + 5;
    if (rest.startsWith('<!--->')) return i + 6;
    if (rest.startsWith('<!--')) return until('comment', '-->', i + 4, i);
    if (rest.startsWith('<?')) return until('pi', '?>', i + 2, i);
    if (rest.startsWith('<![CDATA[')) return until('cdata', ']]>', i + 9, i);
    if (/^<![A-Za-z]/.test(rest)) return until('decl', '>', i + 2, i);
    if (!/^<\/?[A-Za-z]/.test(rest)) {
      emit(LT);
      return i + 1;
    }
    const open = OPEN_TAG.exec(rest);
    const tag = open ?? CLOSE_TAG.exec(rest);
    if (tag) {
      const name = tag[1].toLowerCase();
      const end = i + tag[0].length;
      if (!open || !DROP_WITH_CONTENT.has(name) || open[2] || name === 'embed') return end;
      const m = search(`</${name}`, () => new RegExp(`</${name}(?=[\\s/>])[^>\\n]*>?`, 'gi'), end);
      // Unclosed: a renderer would pass the rest of the block through as raw HTML, so it all goes.
      return m ? m.index + m[0].length : paragraphEnd(end);
    }
    // Malformed: a browser would read up to the next '>', so that is what goes if it is HTML-ish.
    const gt = search('gt', () => />/g, i)?.index ?? src.length;
    const end = gt < paragraphEnd(i) && gt - i < CAP ? gt + 1 : Math.min(lineEnd(i), i + CAP);
    if (HOSTILE.test(src.slice(i, end))) return end;
    emit(LT);
    return i + 1;
  };

  const link = (i: number): number => {
    const d = parseDestination(src, i);
    const opener = closeOf;
    const dropBrackets = () => {
      out[close] = '';
      if (opener) out[opener.open] = '';
      if (opener && opener.bang >= 0) out[opener.bang] = '';
      close = -1;
    };
    if (d.capped || !urlAllowed(d.url)) {
      dropBrackets(); // a dangerous link keeps its text, a dangerous image its alt text
      return d.end > 0 ? d.end : d.tokenEnd;
    }
    if (d.end < 0) {
      emit('(');
      return i + 1;
    }
    if (unlink) {
      dropBrackets();
      return d.end;
    }
    const title = d.title && !/[<>`[\]\\\n]/.test(d.title) ? ` ${d.title.replace(BAD_ENTITY, '&amp;')}` : '';
    emit(`(${encodeUrl(d.url, d.angled)}${title})`);
    return d.end;
  };

  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const d = src[i + 1] ?? '';
      emit(d === '<' ? LT : PUNCT.test(d) ? c + d : c);
      i += PUNCT.test(d) ? 2 : 1;
    } else if (c === '`') {
      let j = i;
      while (src[j] === '`') j++;
      // An autolinking renderer would swallow backticks glued to a URL or e-mail into the link.
      const word = /[^\s]{0,256}$/.exec(src.slice(Math.max(0, i - 256), i))?.[0] ?? '';
      let end = word.length === 256 || /[:@]|www\./i.test(word) ? -1 : closer(j, j - i);
      // Renderers disagree on spans holding other backticks (marked pairs single backticks inside
      // link text), and a long fence next to brackets; the plain `x` form every renderer agrees on.
      const body = end < 0 ? '' : src.slice(j, end - (j - i));
      if (body.includes('`') || (j - i > 1 && /[[\]]/.test(body))) end = -1;
      emit(end < 0 ? '\\`'.repeat(j - i) : src.slice(i, end));
      i = end < 0 ? j : end;
    } else if (c === '<') {
      i = angle(i);
    } else if (c === '&') {
      emit(AMP);
      i++;
    } else if (c === '[' || (c === '!' && src[i + 1] === '[')) {
      if (c === '!') out.push(unlink ? '' : '!');
      out.push(unlink ? '' : '[');
      brackets.push({ open: out.length - 1, bang: c === '!' ? out.length - 2 : -1 });
      close = -1;
      i += c === '!' ? 2 : 1;
    } else if (c === ']') {
      closeOf = brackets.pop();
      out.push(unlink ? '' : ']');
      close = out.length - 1;
      i++;
      const ref = unlink ? /\[(?:\\.|[^\\[\]]){0,999}\]/y : null;
      if (ref) {
        ref.lastIndex = i;
        if (ref.exec(src)) i = ref.lastIndex; // `[text][label]`: the label is link syntax too
      }
    } else if (c === '(' && close >= 0) {
      i = link(i);
    } else if (c === '\n') {
      out.push(c);
      i++;
      if (/^[ \t]*(?:\n|$)/.test(src.slice(i, i + 256))) {
        brackets = [];
        close = -1;
      }
    } else {
      let j = i + 1;
      while (j < src.length && !'\\`<&[]!(\n'.includes(src[j])) j++;
      const s = src.slice(i, j);
      if (/\S/.test(s)) emit(s);
      else out.push(s); // "[text] (url)" is still a link to some renderers
      i = j;
    }
  }

  return (
    dropDangerousDefinitions(out.join(''))
      // A '~~~' line we did not keep as a fence must not open one for the renderer either.
      .replace(/(^|\n)([ \t>*+\-.)0-9]*)(?=~~~)/g, '$1$2\\')
      .replace(new RegExp(`${LT}(?=\\s*[A-Za-z!?/])`, 'g'), '&lt;')
      .replaceAll(LT, '<')
      .replace(BAD_AMP, '&amp;')
      .replaceAll(AMP, '&')
  );
}

function sanitiseBlocks(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let text: string[] = [];
  const flush = () => {
    if (text.length) out.push(sanitiseText(text.join('\n'), false));
    text = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) {
      text.push(lines[i]);
      continue;
    }
    flush();
    const fence = open[1] ?? open[3];
    // Renderers decode entities in the info string into a class attribute.
    out.push(fence + (open[2] ?? open[4]).replace(/[<>&]/g, ''));
    const end = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}[ \\t]*$`);
    while (++i < lines.length) {
      out.push(lines[i]);
      if (end.test(lines[i])) break;
    }
  }
  flush();
  return out.join('\n');
}

/**
 * Removing something can join what surrounds it into something new (`(x<!---->javascript:`),
 * so passes repeat until one removes nothing: that output is then safe on its own terms.
 */
function untilStable(text: string, pass: (s: string) => string): string {
  let prev = text;
  for (let k = 0; k < 8; k++) {
    const next = pass(prev);
    if (next === prev) return next;
    prev = next;
  }
  // Not reached by anything we know of; escaped plain text is safe and stays as it is.
  return prev.replace(/[&<]/g, (c) => (c === '<' ? '&lt;' : '&amp;')).replace(/[[\]()`~]/g, '\\$&');
}

/** Markdown safe to send to a customer; see the module comment. */
export function safeMarkdown(markdown: string): string {
  try {
    return untilStable(clean(markdown), sanitiseBlocks);
  } catch {
    return '';
  }
}

/** One line for titles and citation labels: no HTML, no link syntax (text kept), whitespace collapsed. */
export function safeInline(text: string): string {
  try {
    return untilStable(clean(text), (s) => sanitiseText(s, true).replace(/\s+/g, ' ').trim());
  } catch {
    return '';
  }
}
