import { ARABIZI_MARKERS } from './arabizi.js';

export type Lang = 'ar' | 'en';

export interface LanguageGuess {
  lang: Lang;
  /** Arabic written in Latin letters and digits ("ana abi a3rf wain tlbi"). */
  arabizi: boolean;
}

const ARABIC = /\p{Script=Arabic}/gu;
const LATIN = /\p{Script=Latin}/gu;
// Digits standing for Arabic letters inside a Latin word: 3=ع 7=ح 2=ء 5=خ 6=ط 9=ق/ص.
const ARABIZI_WORD = /^(?=.*[a-z])(?=.*[235679])[a-z235679']+$/i;
// Frequent Gulf and Levantine words as typed in Latin letters, written for this project.
const ARABIZI_COMMON = new Set(
  'ana abi abgha abga ab8a wain wein wen shlon shlonk kaif kif leish lesh leh mafi ma3 3ndi 3indi wallah inshallah yalla habibi ya3ni shukran mashkoor akeed ayesh abi2 3shan ashan la2 ee aywa'.split(
    ' ',
  ),
);

/** Language by script; Latin text that reads as Arabizi counts as Arabic. */
export function detectLanguage(text: string): LanguageGuess {
  const arabic = text.match(ARABIC)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (arabic > 0 && arabic >= latin * 0.5) return { lang: 'ar', arabizi: false };
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  if (words.length > 0) {
    const hits = words.filter((w) => ARABIZI_COMMON.has(w) || ARABIZI_MARKERS.has(w) || ARABIZI_WORD.test(w)).length;
    if (hits >= Math.max(1, Math.ceil(words.length * 0.3))) return { lang: 'ar', arabizi: true };
  }
  return { lang: arabic > latin ? 'ar' : 'en', arabizi: false };
}
