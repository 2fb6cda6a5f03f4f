import { normaliseForSearch } from '../text/normalise.js';

/**
 * An upset customer, as against a plain problem report. "My card isn't working" and
 * «الكرت حقي ما يشتغل» score negative (something went wrong) but ask for an answer; anger at the
 * company («خدمة زفت», "worst service ever"), curses, insults, despair and shouting ask for a
 * person. Written for this project from general usage in English and Gulf, Levantine and
 * Egyptian Arabic, not from any evaluation set. Only the upset message (or a very negative
 * score, or a worsening trend) hands off for sentiment.
 */
const EN = [
  'disgusting',
  'worst',
  'furious',
  'angry',
  'outraged',
  'ridiculous',
  'unacceptable',
  'pathetic',
  'useless',
  'horrible',
  'terrible',
  'awful',
  'scam',
  'liars',
  'lying to me',
  'a joke',
  'fed up',
  'sick of',
  'sick and tired',
  'i hate',
  'never again',
  'incompetent',
  'shame on',
  'shameful',
  'wtf',
  'damn',
  'hell',
  'fuck',
  'fucking',
  'shit',
  'crap',
  'how many times',
  'i am done',
  "i'm done",
  'waste of time',
  'rubbish',
];
const AR = [
  'زفت',
  'اسوا',
  'مقرف',
  'قرف',
  'حسبي الله',
  'حسبنا الله',
  'حرام عليكم',
  'نصابين',
  'نصب',
  'حراميه',
  'حراميه',
  'كذابين',
  'فاشلين',
  'فاشل',
  'مهزله',
  'استهتار',
  'تعبت منكم',
  'زهقت',
  'طفشت',
  'مليت',
  'معصب',
  'غاضب',
  'خايس',
  'سيء',
  'سيئ',
  'تخلف',
  'متخلفين',
  'لعنه',
  'الله ياخذكم',
  'الله لا يوفقكم',
  'الله يلعن',
  'عيب عليكم',
  'ما تستحون',
  'ماتستحون',
  'اخر مره',
  'كم مره',
].map(normaliseForSearch);

const ENGLISH = new RegExp(`\\b(${EN.map((w) => w.replace(/[.*+?^${}()|[\]\\']/g, '\\$&')).join('|')})\\b`, 'i');
// Shouting: a run of exclamation marks, or a word of four or more capitals.
const SHOUT = /[!！]{2,}|\?!|!\?|\b[A-Z]{4,}\b/;

export function soundsUpset(text: string): boolean {
  if (SHOUT.test(text) || ENGLISH.test(text)) return true;
  const ar = normaliseForSearch(text);
  return AR.some((w) => ar.includes(w));
}
