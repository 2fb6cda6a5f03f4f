/**
 * The value of one top-level string field of a JSON object that is still arriving, decoded as
 * far as it has come: how a streamed `{"answer": "…", …}` becomes a growing draft.
 *
 * Feed it the text chunk by chunk, cut anywhere; it returns the field's decoded text so far
 * ('' until the value starts). An escape cut in two (`\` | `u0627`) waits for its second half
 * rather than showing garbage. Each call scans only what is new since the last one.
 * The draft is a preview: the complete text, parsed and validated, decides the answer.
 */
export function jsonStringField(field: string): (chunk: string) => string {
  let text = '';
  let pos = 0;
  /** Open objects and arrays, outermost first. */
  const open: string[] = [];
  /** What comes next at the top level of the object. */
  let expect: 'key' | 'colon' | 'value' | 'none' = 'none';
  let key = '';
  /** The string being read, if any, and what it is. */
  let reading: 'key' | 'field' | 'other' | undefined;
  let value = '';
  let done = false;

  return (chunk) => {
    text += chunk;
    while (pos < text.length && !done) {
      const ch = text[pos]!;
      if (reading) {
        let decoded = ch;
        if (ch === '\\') {
          const decodedEscape = decodeEscape(text, pos);
          if (!decodedEscape) break; // the rest of the escape is in a later chunk
          decoded = decodedEscape.text;
          pos = decodedEscape.end;
        } else {
          pos++;
          if (ch === '"') {
            expect = reading === 'key' ? 'colon' : 'none';
            done = reading === 'field';
            reading = undefined;
            continue;
          }
        }
        if (reading === 'key') key += decoded;
        else if (reading === 'field') value += decoded;
        continue;
      }
      pos++;
      const top = open.length === 1 && open[0] === '{';
      if (ch === '"') {
        reading = !top ? 'other' : expect === 'key' ? 'key' : expect === 'value' && key === field ? 'field' : 'other';
        if (reading === 'key') key = '';
      } else if (ch === '{' || ch === '[') {
        open.push(ch);
        expect = open.length === 1 ? 'key' : 'none';
      } else if (ch === '}' || ch === ']') {
        open.pop();
      } else if (top && ch === ',') {
        expect = 'key';
      } else if (top && ch === ':') {
        expect = expect === 'colon' ? 'value' : 'none';
      } else if (top && !/\s/.test(ch)) {
        expect = 'none';
      }
    }
    return value;
  };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * The escape starting at `at` (a backslash), or undefined while it is incomplete. A high
 * surrogate waits for its low half so that a draft never ends in half an emoji. An invalid
 * escape also reads as incomplete: the draft stops there and the full parse rejects it.
 */
function decodeEscape(text: string, at: number): { text: string; end: number } | undefined {
  const kind = text[at + 1];
  if (kind === undefined) return undefined;
  if (kind !== 'u') {
    const simple = SIMPLE_ESCAPES[kind];
    return simple === undefined ? undefined : { text: simple, end: at + 2 };
  }
  const unit = hexUnit(text, at + 2);
  if (unit === undefined) return undefined;
  if (unit < 0xd800 || unit > 0xdbff) return { text: String.fromCharCode(unit), end: at + 6 };
  const next = text.slice(at + 6, at + 8);
  if (next.length < 2 || (next === '\\u' && text.length < at + 12)) return undefined;
  const low = next === '\\u' ? hexUnit(text, at + 8) : undefined;
  if (low !== undefined && low >= 0xdc00 && low <= 0xdfff)
    return { text: String.fromCharCode(unit, low), end: at + 12 };
  return { text: String.fromCharCode(unit), end: at + 6 };
}

function hexUnit(text: string, at: number): number | undefined {
  const hex = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? Number.parseInt(hex, 16) : undefined;
}
