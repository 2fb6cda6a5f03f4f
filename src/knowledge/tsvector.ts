/**
 * Reading Postgres's text forms of full-text values, so the in-memory index holds exactly the
 * lexemes the database's parser produced.
 */

/** `'a':1,3 'it''s':2` → lexeme → number of positions (1 for a lexeme stored without any). */
export function parseTsVector(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") {
      i++;
      continue;
    }
    const { value, end } = quoted(text, i);
    i = end;
    let count = 1;
    if (text[i] === ':') {
      let j = i + 1;
      while (j < text.length && text[j] !== ' ') j++;
      count = text.slice(i + 1, j).split(',').length;
      i = j;
    }
    out.set(value, (out.get(value) ?? 0) + count);
  }
  return out;
}

/**
 * A tsquery's lexemes when it is a plain conjunction (`'a' & 'b'`, one lexeme, or empty);
 * null for anything else (phrases, negation, prefixes), which the caller leaves to Postgres.
 */
export function parseTsQuery(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const s = text.trim();
  if (s === '') return out;
  for (;;) {
    if (s[i] !== "'") return null;
    const { value, end } = quoted(s, i);
    out.push(value);
    i = end;
    if (i === s.length) return out;
    if (s.slice(i, i + 3) !== ' & ') return null;
    i += 3;
  }
}

/** A quoted lexeme starting at `start` (quotes and backslashes doubled inside). */
function quoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'" && text[i + 1] === "'") {
      value += "'";
      i += 2;
    } else if (ch === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else if (ch === "'") {
      return { value, end: i + 1 };
    } else {
      value += ch;
      i++;
    }
  }
  return { value, end: i };
}
