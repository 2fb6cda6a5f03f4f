/**
 * An article body as its author structured it: the opening (the text before the first heading,
 * the article's summary) and one section per heading, each with its whole text. Headings inside
 * fenced code are text.
 */
export interface Section {
  /** The heading's text without its #s; null for the opening. */
  heading: string | null;
  /** 0 for the opening, else the number of #s. */
  level: number;
  /** Offset of the section (its heading line) in the body. */
  start: number;
  /** The section's text from its heading line to the next heading, trimmed. */
  text: string;
}

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/;

export function sectionsOf(body: string): Section[] {
  const out: Section[] = [];
  let current: { heading: string | null; level: number; start: number } = { heading: null, level: 0, start: 0 };
  let fenced = false;
  let offset = 0;
  const close = (end: number) => {
    const text = body.slice(current.start, end).trim();
    if (text) out.push({ ...current, text });
  };
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : line.match(HEADING);
    if (m) {
      close(offset);
      current = { heading: (m[2] as string).trim(), level: (m[1] as string).length, start: offset };
    }
    offset += line.length + 1;
  }
  close(body.length);
  return out;
}

/** The heading of a passage that starts with one (every passage of a section does), else null. */
export function headingOf(passage: string): string | null {
  const first = passage.trimStart().split('\n', 1)[0] ?? '';
  const m = first.match(HEADING);
  return m ? (m[2] as string).trim() : null;
}

// Words that point at what comes next, in the last sentence of a paragraph.
const POINTS_AHEAD = /\b(following|below|as follows|here (is|are)|these are)\b|إليك|يلي|التالي|الآتي|(^|\s)و?هذه\s/i;

/**
 * Whether a paragraph only leads into what follows it: it ends with a colon, or its last
 * sentence points ahead ("These are the most common reasons.", «فيُرجى التحقق مما يلي أولًا.»).
 */
export function announcesWhatFollows(text: string): boolean {
  const t = text.trim();
  if (/[:：]$/.test(t)) return true;
  const last = t.split(/(?<=[.!?؟。])\s+/).at(-1) ?? '';
  return POINTS_AHEAD.test(last);
}
