import { normaliseForSearch } from './normalise.js';

/**
 * Everyday words customers write in Gulf, Levantine and Egyptian Arabic, and the MSA words
 * knowledge bases use for the same thing, folded to one term so a dialect question meets an
 * MSA article. Written for this project from general knowledge of the dialects (not from
 * any evaluation set); each line is one concept, its first word the term it folds to.
 * Only words whose meaning does not depend on context are listed: a word that is a synonym
 * only sometimes (خصم: discount or deduction) stays out, since a wrong fold costs more than
 * a missed one.
 */
const GROUPS = `
فلوس مصاري مصريات بيزات نقود اموال
بطاقه كرت كارت
جوال موبايل تلفون تليفون هاتف
معطل خربان عطلان تالف خربانه عطلانه
ارسل ابعث ابعت دز ادز يدز تدز
انتظر استنى بستنى استنيت انطر
الغاء كنسل اكنسل كنسلت تكنسل
طلب اوردر طلبيه
متجر محل دكان
فاتوره بيل
تطبيق ابلكيشن ابليكيشن
صراف مكينه ماكينه
عموله رسوم
كاش نقدا نقدي
غدا بكره بكرا باكر
امس مبارح امبارح
سرق انسرق انسرقت مسروق مسروقه سرقه
ضاع ضايع ضايعه ضيعت انفقد مفقود مفقوده
مكسور انكسر انكسرت مكسوره
كثير وايد كتير
غلط خطا
رخيص ارخص
غالي اغلى
`;

/** Stemmed word → stemmed term it folds to. tokenise.ts builds it once with its own stemmer, so
 *  keys and the words they match are stemmed alike. */
export function buildLexicon(stem: (word: string) => string): Map<string, string> {
  const folds = new Map<string, string>();
  for (const line of GROUPS.trim().split('\n')) {
    const [canonical, ...variants] = line.trim().split(/\s+/).map(normaliseForSearch);
    if (!canonical) continue;
    const target = stem(canonical);
    for (const v of [canonical, ...variants]) folds.set(stem(v), target);
  }
  return folds;
}
