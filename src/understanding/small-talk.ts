import type { Lang } from '../text/language.js';
import { tokenise } from '../text/tokenise.js';

export type SmallTalk = 'greeting' | 'thanks' | 'goodbye';

// Written for this project: greetings, thanks and goodbyes in English, MSA and Gulf Arabic,
// stored in normalised form (ة→ه, ى→ي, hamza folded) as tokenise() returns them.
const WORDS: Record<SmallTalk, string[]> = {
  greeting:
    'hi hello hey hiya salam salaam greetings morning afternoon evening السلام سلام عليكم مرحبا مرحبتين هلا هلو اهلا اهلين حياك صباح مساء'.split(
      ' ',
    ),
  thanks:
    'thanks thank thx ty appreciated cheers ok okay great شكرا مشكور مشكورين يعطيك يعطيكم العافيه تسلم تسلمون قصرت قصرتو قصرتوا جزاك جزاكم تمام طيب اوكي'.split(
      ' ',
    ),
  goodbye: 'bye goodbye السلامه امان باي وداعا'.split(' '),
};
// Words that may sit around small talk without making it a question.
const FILLER = new Set(
  'you all very so much a lot and ya good see later there يا وانت وانتم و جدا مره كثير وايد حيل الخير النور الله والله خير ما في مع جزيلا'.split(
    ' ',
  ),
);

/**
 * A message that is only a greeting, thanks or goodbye. Anything more ("hi, where is my
 * order?") is a question and goes through retrieval as usual.
 */
export function smallTalk(text: string): SmallTalk | undefined {
  const tokens = tokenise(text.slice(0, 300));
  if (tokens.length === 0 || tokens.length > 8) return undefined;
  let kind: SmallTalk | undefined;
  for (const t of tokens) {
    const hit = (Object.keys(WORDS) as SmallTalk[]).find((k) => WORDS[k].includes(t));
    if (hit) kind ??= hit === 'greeting' && tokens.some((x) => WORDS.thanks.includes(x)) ? 'thanks' : hit;
    else if (!FILLER.has(t)) return undefined;
  }
  return kind;
}

export function smallTalkReply(kind: SmallTalk, lang: Lang, text: string): string {
  const salam = /السلام|سلام|salam/i.test(text);
  if (lang === 'ar') {
    if (kind === 'greeting') {
      return `${salam ? 'وعليكم السلام ورحمة الله' : 'أهلًا وسهلًا'}! أنا «سند»، المساعد الآلي لخدمة العملاء. كيف أقدر أساعدك؟`;
    }
    if (kind === 'thanks') return 'العفو، في خدمتك دائمًا! هل هناك شيء آخر أقدر أساعدك فيه؟';
    return 'في أمان الله، ونسعد بخدمتك في أي وقت.';
  }
  if (kind === 'greeting') return "Hello! I'm Sanad, the customer-service assistant. How can I help you today?";
  if (kind === 'thanks') return "You're welcome! Is there anything else I can help you with?";
  return 'Goodbye, and thank you for contacting us.';
}
