import type { EditorPage } from './main.js';

interface Outcome {
  articleId: string | null;
  answered: boolean;
  confidence: number;
}
interface Diff {
  checked: { recent: number; dev: number; devSet: string | null };
  changes: {
    source: 'recent' | 'dev';
    question: string;
    expected?: string | null;
    before: Outcome;
    after: Outcome;
    kind: string;
    verdict?: string;
  }[];
  summary: { nowAnswered: number; nowHandedOff: number; otherArticle: number; better: number; worse: number };
}

const WORDS = {
  en: {
    checked: (r: number, d: number) => `Checked ${r} recent customer questions and ${d} development-set cases.`,
    none: 'No question would be answered differently.',
    nowAnswered: 'now answered',
    nowHandedOff: 'now handed off',
    otherArticle: 'another article',
    better: 'better',
    worse: 'worse',
    question: 'Question',
    before: 'Before',
    after: 'After',
    handedOff: 'handed off',
    recent: 'customer',
    dev: 'dev set',
  },
  ar: {
    checked: (r: number, d: number) => `فُحص ${r} من أسئلة العملاء الأخيرة و${d} من حالات مجموعة التطوير.`,
    none: 'لن تتغير الإجابة عن أي سؤال.',
    nowAnswered: 'صار يُجاب',
    nowHandedOff: 'صار يُحوَّل',
    otherArticle: 'مقالة أخرى',
    better: 'أفضل',
    worse: 'أسوأ',
    question: 'السؤال',
    before: 'قبل',
    after: 'بعد',
    handedOff: 'تحويل لموظف',
    recent: 'عميل',
    dev: 'مجموعة التطوير',
  },
};

/** The answer diff as a summary and a table; every text is set as text, never as HTML. */
export function renderAnswerDiff(diff: Diff, into: HTMLElement, { locale }: EditorPage) {
  const w = WORDS[locale];
  const el = (tag: string, text?: string, cls?: string) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };
  into.replaceChildren(el('p', w.checked(diff.checked.recent, diff.checked.dev), 'meta'));
  if (diff.changes.length === 0) {
    into.append(el('p', w.none));
    return;
  }
  const s = diff.summary;
  const summary = el('div', undefined, 'diff-summary');
  summary.append(
    el('span', `${w.nowAnswered}: ${s.nowAnswered}`),
    el('span', `${w.nowHandedOff}: ${s.nowHandedOff}`),
    el('span', `${w.otherArticle}: ${s.otherArticle}`),
  );
  if (diff.checked.dev) summary.append(el('span', `${w.better}: ${s.better}`), el('span', `${w.worse}: ${s.worse}`));
  const outcome = (o: Outcome) => (o.answered ? (o.articleId ?? '—') : w.handedOff);
  const table = el('table', undefined, 'changes');
  const head = el('tr');
  for (const h of [w.question, w.before, w.after, '']) head.append(el('th', h));
  table.append(head);
  for (const c of diff.changes.slice(0, 100)) {
    const row = el('tr');
    row.dataset.kind = c.kind;
    const q = el('td', c.question, 'q');
    q.dir = 'auto';
    q.append(el('div', c.source === 'dev' ? w.dev : w.recent, 'meta'));
    const kind = el(
      'td',
      w[c.kind === 'now_answered' ? 'nowAnswered' : c.kind === 'now_handed_off' ? 'nowHandedOff' : 'otherArticle'],
    );
    if (c.verdict === 'better' || c.verdict === 'worse') kind.append(' · ', el('span', w[c.verdict], c.verdict));
    const before = el('td', outcome(c.before));
    const after = el('td', outcome(c.after));
    before.dir = 'ltr';
    after.dir = 'ltr';
    row.append(q, before, after, kind);
    table.append(row);
  }
  into.append(summary, table);
}
