/**
 * Safe Markdown (what the inbox stores) as WhatsApp text. WhatsApp renders its own small markup:
 * *bold*, _italic_, ~strike~, `code`, ```block```, "> " quotes and "- "/"1. " lists, and no
 * links, headings or tables. So: **bold** → *bold*, *italic* → _italic_, headings → bold lines,
 * bullets → •, tables → one line per row, [text](url) → "text (url)".
 */

export const TEXT_LIMIT = 4096;

const BOLD = '\uE000'; // placeholders while single-star italics are rewritten
const CODE = '\uE001';

export function toWhatsAppText(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  let tableHeader = true;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      out.push('```');
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    // Tables: the delimiter row goes, every other row becomes its cells joined by " · ".
    if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line) && line.includes('|')) continue;
    if (/^\s*\|.*\|\s*$/.test(line)) {
      const cells = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => inline(c.trim()))
        .filter(Boolean);
      out.push(tableHeader ? `*${cells.join(' · ')}*` : cells.join(' · '));
      tableHeader = false;
      continue;
    }
    tableHeader = true;
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push('');
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const text = inline(heading[1] as string).replace(/^\*(.*)\*$/, '$1');
      out.push(text ? `*${text}*` : '');
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      const depth = Math.floor((bullet[1] as string).replace(/\t/g, '  ').length / 2);
      out.push(`${'  '.repeat(depth)}${depth > 0 ? '◦' : '•'} ${inline(bullet[2] as string)}`);
      continue;
    }
    const numbered = /^(\s*)(\d{1,9})[.)]\s+(.*)$/.exec(line);
    if (numbered) {
      out.push(`${numbered[1]}${numbered[2]}. ${inline(numbered[3] as string)}`);
      continue;
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
    if (quote) {
      out.push(`> ${inline(quote[1] as string)}`);
      continue;
    }
    out.push(inline(line.replace(/\s+$/, '')));
  }
  if (inFence) out.push('```');
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Inline Markdown of one line as WhatsApp markup. */
function inline(text: string): string {
  const codes: string[] = [];
  let s = text.replace(/`([^`\n]+)`/g, (_, code: string) => {
    codes.push(code);
    return `${CODE}${codes.length - 1}${CODE}`;
  });
  s = s
    .replace(/!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_, alt: string, url: string) => link(alt, url))
    .replace(/\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_, label: string, url: string) =>
      link(label, url),
    )
    .replace(/<(https?:[^>\s]+)>/g, '$1')
    .replace(/<mailto:([^>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, `${BOLD}$2${BOLD}`)
    .replace(/(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])/g, '_$1_')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~')
    .replaceAll(BOLD, '*');
  s = unescapeMarkdown(s);
  return s.replace(new RegExp(`${CODE}(\\d+)${CODE}`, 'g'), (_, i: string) => `\`${codes[Number(i)]}\``);
}

function link(label: string, url: string): string {
  const text = label.trim();
  if (!text || text === url || `mailto:${text}` === url) return url.replace(/^mailto:/, '');
  return `${text} (${url.replace(/^mailto:/, '')})`;
}

// Backslash escapes and the entities safeMarkdown writes for a literal < or &.
function unescapeMarkdown(s: string): string {
  return s
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const SOURCES = { ar: 'المصادر:', en: 'Sources:' };

/** The articles a reply is based on, each with its link when the service's public URL is known. */
export function citationLines(
  citations: { articleId: string; title: string }[],
  lang: string | null,
  publicUrl: string | undefined,
): string {
  const seen = new Set<string>();
  const lines = citations
    .filter((c) => !seen.has(c.articleId) && seen.add(c.articleId))
    .map((c) => {
      const url = publicUrl ? `${publicUrl.replace(/\/+$/, '')}/help/articles/${encodeURIComponent(c.articleId)}` : '';
      return url ? `• ${c.title} (${url})` : `• ${c.title}`;
    });
  if (lines.length === 0) return '';
  return [lang === 'en' ? SOURCES.en : SOURCES.ar, ...lines].join('\n');
}

/**
 * Splits text into parts of at most `limit` characters, cutting at the last paragraph break
 * that fits, else a line break, else a sentence end (. ! ? ؟ …), else a space, else anywhere.
 */
export function splitText(text: string, limit = TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut =
      lastBreak(window, /\n\s*\n/g, limit / 4) ??
      lastBreak(window, /\n/g, limit / 4) ??
      lastBreak(window, /[.!?؟…。](?=\s)/g, limit / 4, 1) ??
      lastBreak(window, /\s/g, limit / 4) ??
      safeCut(rest, limit);
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** Index to cut at: the end of the last match (plus `keep` chars of it) past `min`, if any. */
function lastBreak(window: string, pattern: RegExp, min: number, keep = 0): number | undefined {
  let found: number | undefined;
  for (const m of window.matchAll(pattern)) {
    const at = (m.index ?? 0) + keep;
    if (at >= min && at <= window.length - 1) found = at;
  }
  return found;
}

// Never between the two halves of a surrogate pair (an emoji cut in half shows as garbage).
function safeCut(text: string, limit: number): number {
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
