import { normaliseForSearch } from './normalise.js';

/**
 * Function words that say nothing about a customer's topic, written for this project from
 * general grammar (English; MSA; Gulf, Levantine and Egyptian dialect: possessive particles
 * such as حق / تبع / بتاع, "now", "still", "when", "who", "this"), not from any evaluation
 * set. Stored normalised.
 */
const ENGLISH = `a an the and or but if then so of to in on at by for from with about as into over
is are was were be been being am do does did doing have has had having can could would should will shall may might must
i me my mine myself we us our ours you your yours he him his she her it its they them their this that these those
what which who whom whose when where why how there here any some all each every no not than too very just also
please hi hello hey thanks thank ok okay yes yeah im i'm ive i've dont don't cant can't get got`;

const ARABIC = `في من الى إلى على عن مع ثم او أو ام أم بل لكن و ف ب ل ك ال هذا هذه ذلك تلك هؤلاء الذي التي الذين
هو هي هم هن انا أنا نحن انت أنت انتم أنتم انتي إني اني انه أنه انها كان كانت يكون تكون قد لقد كل بعض اي أي اذا إذا لو
ان إن أن لم لن ما ماذا هل يا اللي الي عند عندي عندكم لي لنا له لها لكم فيه فيها منه منها عليه عليها بس زي مثل
وش ايش شو شنو ليش كيف متى وين فين هل عشان علشان لين حتى يعني طيب تمام شكرا لو سمحت سمحتو مرحبا السلام عليكم
الله ابي أبي ابغى أبغى ابا ودي بغيت
بدي بدك بدنا هيك هاد هاي هدا هذي يلي انو إنو رح راح عم مشان منشان ازاي عايز عاوز
حقي حقك حقه حقها حقنا حقكم حقتي حقتك تبعي تبعك تبعه تبعها تبعنا تبعكم تبعتي تبعتك بتاعي بتاعك بتاعه بتاعتي
الحين دحين اللحين هلق هلا هسا هسه هلأ دلوقتي لسا لسه لساتو بعدني امتى ايمتى وينتا مين منو شلون اشلون
شنهو ده دول كده كذا ذي ذا هذول هذولا اوي مره ترى اديش قديش عايزه عاوزه ابغي يبغى تبغى يبي تبي نبي ابغا
مدري مادري ادري للحين لحد لحين لمن لما كمان برضو برضه ازا اذن ياخي يعطيك العافيه ابيكم ابغاكم تكفى تكفون`;

const WORDS = new Set([...ENGLISH.split(/\s+/), ...ARABIC.split(/\s+/)].filter(Boolean).map(normaliseForSearch));

export function isStopword(normalisedToken: string): boolean {
  if (WORDS.has(normalisedToken)) return true;
  // "and" and "so" are written onto the next word: وابي is و + ابي.
  const first = normalisedToken[0];
  return (first === 'و' || first === 'ف') && normalisedToken.length > 2 && WORDS.has(normalisedToken.slice(1));
}
