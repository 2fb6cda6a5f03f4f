/**
 * Does the customer explicitly ask for a person? (hand-off reason `customer_request`)
 *
 * Pattern rules, not a model: a desire or request marker ("I want", «أبي», «ممكن») or a
 * transfer verb ("connect me", «حولني») followed, within a short chain of allowed words, by
 * a person noun ("agent", «موظف»); plus set phrases (callbacks «كلموني», "stop the bot",
 * «ما أبي بوت») and one-word messages ("human", «موظف»). The chain may only pass through
 * speech verbs, prepositions and fillers, so "I want to know the agent's name" or «أبي أشتغل
 * موظف عندكم» do not count; complaints about a person ("the agent was rude",
 * «الموظف كان وقح») carry no request marker and do not count either.
 *
 * Text is split into clauses at punctuation (so «لا، أبي موظف» is not read as a negation)
 * and each clause is folded with normaliseForSearch (hamza, alef, ta marbuta, alef maqsura).
 */
import { normaliseForSearch } from '../text/normalise.js';

const alt = (words: readonly string[]) => `(?:${words.join('|')})`;
/** A fragment matching whole words: the clause is single-spaced, so words sit between spaces. */
const seq = (...parts: string[]) => parts.join(' ');
const opt = (part: string, max = 1) => `(?:${part} ){0,${max}}`;
const rx = (body: string) => new RegExp(`(?:^| )${body}(?= |$)`, 'u');
const whole = (body: string) => new RegExp(`^${body}$`, 'u');

// ---------------------------------------------------------------------------------------
// Arabic (all forms are as they look after normaliseForSearch: ا for أ/إ/آ, ي for ى, ه for ة,
// و for ؤ, ي for ئ).

// Clitics in front of a noun: و/ف, then ب/ل/ك, then the article (or the merged لل/بال).
const AR_PREFIX = '(?:و|ف)?(?:بال|لل|ال|ب|ل)?';
const AR_PERSON_NOUNS = [
  'موظف(?:ه|ين|ات|كم|ينكم)?',
  'انسان',
  'بشر(?:ي|يه)?',
  'شخص(?:ا)?',
  'مسوول(?:ين|ه)?',
  'مسيول(?:ين|ه)?',
  'مدير(?:كم|ه)?',
  'مشرف(?:ه|ين)?',
  'ممثل(?:ه|ين)?',
  'مختص(?:ين)?',
  'اخصايي',
  'ادمي',
  'دعم(?: فني)?',
  'الدعم(?: الفني)?',
  'خدمه (?:ال)?عملاء',
  'كول ?سنتر',
  'call center',
  'موظف خدمه (?:ال)?عملاء',
];
// Pronoun-like "someone": no article allowed (الاحد is Sunday), and not "one of the …"
// («أبي أحد المنتجات») unless the noun after it is a person; «واحد» only as "someone who …".
const AR_PERSON_AFTER = '(?:موظف|مسوول|مسيول|مشرف|دعم|مدير|عملاء|فريق|قسم)';
const AR_SOMEONE = [
  `(?:احد|حد)(?! ال(?!${AR_PERSON_AFTER}))`,
  'حدا',
  'واحد (?:يكلمني|يتصل|يرد|من (?:ال)?(?:موظفين|خدمه|دعم))',
  'بني ادم',
];
const AR_PERSON = `(?:${AR_PREFIX}${alt(AR_PERSON_NOUNS)}|${alt(AR_SOMEONE)})`;

const AR_DESIRE = alt([
  'ابي',
  'ابا',
  'ابغي',
  'ابغا',
  'ابغ',
  'ابيك',
  'ابغاك',
  'ابيكم',
  'ابغاكم',
  'بغيت',
  'ودي',
  'ودنا',
  'نبي',
  'نبغي',
  'نبغا',
  'اريد',
  'نريد',
  'اود',
  'ارغب',
  'نرغب',
  'احتاج',
  'محتاج',
  'محتاجه',
  'نحتاج',
  'بدي',
  'عايز',
  'عايزه',
  'عاوز',
  'حاب',
  'حابه',
  'ممكن',
  'يمكن',
  'يمكنني',
  'يمكنك',
  'بامكاني',
  'اقدر',
  'نقدر',
  'استطيع',
  'اطلب',
  'نطلب',
  'ارجو',
  'اتمني',
  'عطني',
  'اعطني',
  'عطوني',
  'اعطوني',
  'خلني',
  'خليني',
  'خلوني',
  'خلي',
  'خلو',
  'خلوا',
  'تكفي',
  'تكفون',
  'بليز',
  'plz',
  'please',
]);
const AR_SPEAK = alt([
  'اكلم(?:ه|ها|هم|كم)?',
  'نكلم',
  'اتكلم',
  'نتكلم',
  'اتحدث',
  'نتحدث',
  '(?:ب|ل)?التحدث',
  'التكلم',
  'الكلام',
  'اتواصل',
  'نتواصل',
  'التواصل',
  'احكي',
  'احچي',
  'اتصل',
  'الاتصال',
  'اراسل',
  'اخاطب',
  'التحويل',
  'تحويلي',
  'تحويل',
  'تحولني',
  'تحولوني',
  'توصلني',
  'تربطني',
]);
const AR_PREP = alt(['مع', 'ويا', 'وي', 'علي', 'الي', 'ل', 'عند', 'من', 'في', 'ب']);
/** An optional speech verb and its preposition, each followed by a space. */
const AR_SPEECH = `(?:${AR_SPEAK} ${opt(AR_PREP)})?`;
const AR_FILLER = alt([
  'ان',
  'لو',
  'سمحت',
  'سمحتوا',
  'سمحتو',
  'من',
  'فضلك',
  'فضلكم',
  'الحين',
  'الان',
  'حالا',
  'بسرعه',
  'ضروري',
  'ضرورى',
  'يا',
  'اخي',
  'اخوي',
  'رجاء',
  'رجاءا',
  'مباشره',
  'هل',
  'في',
  'انا',
  'اني',
  'اذا',
  'بس',
  'شي',
  'لي',
  'ابي',
  'ابغي',
  'ممكن',
  'اقدر',
  'كيف',
  'طيب',
  'تكفي',
  'والله',
  'خلاص',
  'بالله',
  'يعني',
]);
const AR_TRANSFER = alt([
  'حولني',
  'حولوني',
  'حوليني',
  'حولنا',
  'حولوا',
  'حول',
  'وصلني',
  'وصلوني',
  'اربطني',
  'اربطوني',
  'اوصلني',
  'تحولني',
  'تحولوني',
  'وديني',
  'ودوني',
]);
const AR_BOT = `(?:${AR_PREFIX}${alt(['بوت', 'روبوت', 'ربوت', 'شات ?بوت', 'رد الي', 'الرد الالي', 'ذكاء(?: ال)?اصطناعي', 'ذكاء اصطناعي', 'مكينه', 'سيستم', 'نظام الي', 'bot', 'chatbot'])})`;
// Negators in front of the chain. «لا» only negates MSA verbs and second-person commands:
// in Gulf speech «لا أبي موظف» usually reads "no — I want an employee".
const AR_NEG = /(?:^| )(?:ما|مو|مب|مش|مهوب|ماني|مانيب|لست|لن|لم|ابد|ابدا)(?: [^ ]+)?$/u;
const AR_LA_MSA =
  /^(?:اريد|نريد|احتاج|نحتاج|ارغب|نرغب|اود|تحولني|تحولوني|تتصل|تتصلوا|تتصلون|تكلموني|توصلني|تربطني)(?: |$)/u;
const AR_PAST = rx(
  alt([
    'امس',
    'البارحه',
    'البارح',
    'امبارح',
    'سابقا',
    'قبل (?:يوم|يومين|ساعه|ساعتين|اسبوع|شهر|شوي|فتره)',
    'الاسبوع الماضي',
    'كل يوم',
    'كذا مره',
  ]),
);
// Asking for a job is not asking for a person: «أبي أشتغل موظف», «كيف أصير موظف».
const AR_JOB = rx(
  alt(['اشتغل', 'اعمل', 'اتوظف', 'توظيف', 'التوظيف', 'وظيفه', 'وظايف', 'اصير', 'اكون', 'اقدم', 'التقديم', 'انضم']),
);

const AR_RULES: RegExp[] = [
  // «أبي أكلم موظف», «أريد التحدث مع موظف», «ممكن موظف بشري», «أبي مدير», «ابي احد من خدمه العملاء»
  rx(seq(AR_DESIRE, opt(AR_FILLER, 3) + AR_SPEECH + opt(AR_FILLER, 2) + AR_PERSON)),
  // «اكلم موظف لو سمحت», «كيف اكلم خدمة العملاء» (speech verb, no desire marker)
  rx(seq(AR_SPEAK, opt(AR_PREP) + opt(AR_FILLER, 1) + AR_PERSON)),
  // «حولني على خدمة العملاء», «وصلني بموظف»
  rx(seq(AR_TRANSFER, opt(AR_FILLER, 2) + opt(AR_PREP) + opt(AR_FILLER, 2) + AR_PERSON)),
  // «ابي مكالمه», «ابغي اتصال»
  rx(seq(AR_DESIRE, opt(AR_FILLER, 2) + alt(['مكالمه', 'اتصال', 'اتصال هاتفي', 'مكالمه هاتفيه', 'احد يتصل']))),
  // «فيه احد يرد؟», «في موظف اكلمه», «هل يوجد موظف»
  rx(
    seq(
      alt(['فيه', 'في', 'يوجد', 'هل يوجد', 'هل في', 'هل فيه', 'وين']),
      AR_PERSON,
      alt(['حقيقي', 'بشري', 'يرد', 'يرد علي', 'يكلمني', 'اكلمه', 'اتكلم معه', 'هنا', 'موجود', 'متواجد', 'يساعدني']),
    ),
  ),
];
// Requests that stand on their own: callbacks and "no bot".
const AR_STANDALONE: RegExp[] = [
  // «وين الموظفين؟» as a whole clause
  whole(
    `(?:وين|فين|اين) ${AR_PREFIX}${alt(['موظفين', 'موظف', 'خدمه (?:ال)?عملاء', 'الدعم', 'انسان', 'بشر', 'احد', 'حد'])}(?: ${alt(['لو سمحت', 'يا', 'ابي', 'انتم', 'انتو'])})?`,
  ),
  rx(
    alt(['كلموني', 'كلمني علي (?:الجوال|رقمي|الرقم)', 'تواصلوا معي', 'تواصل معي', 'تواصلو معي', 'ردوا علي', 'ردو علي']),
  ),
  rx(
    seq(
      alt(['اتصلوا', 'اتصلو', 'اتصل', 'دقوا', 'دقو', 'دق', 'اتصلي']),
      alt(['علي', 'عليا', 'بي', 'علي رقمي', 'علي الرقم']),
    ),
  ),
  // «ما أبي بوت», «ما ابغى اكلم روبوت», «مابي بوت», «لا اريد التحدث مع الروبوت»
  rx(seq(alt(['ما', 'مو', 'مب', 'مش', 'لا']), opt(AR_DESIRE) + opt(AR_FILLER, 1) + AR_SPEECH + AR_BOT)),
  rx(seq(alt(['مابي', 'مابغي', 'مابغا', 'ماابي', 'ماودي', 'مااريد', 'ماريد']), opt(AR_FILLER, 1) + AR_SPEECH + AR_BOT)),
  rx(
    seq(
      alt(['وقف', 'اوقف', 'طفي', 'سكر', 'بدون', 'بلا', 'كفايه', 'خلاص من', 'مليت من', 'زهقت من', 'طفشت من', 'تعبت من']),
      AR_BOT,
    ),
  ),
];
// A clause that is nothing but a person noun (and politeness): «موظف», «موظف لو سمحت».
const AR_POLITE = alt([
  'لو سمحت',
  'لو سمحتوا',
  'من فضلك',
  'الحين',
  'بسرعه',
  'ضروري',
  'رجاء',
  'تكفي',
  'بليز',
  'يا',
  'ابي',
  'ابغي',
  'حقيقي',
  'بشري',
  'please',
]);
const AR_WHOLE = whole(
  `${opt(AR_POLITE, 2)}${AR_PREFIX}${alt(['موظف(?:ين)?', 'انسان', 'بشر(?:ي)?', 'مسوول', 'مدير', 'مشرف', 'خدمه (?:ال)?عملاء', 'الدعم(?: الفني)?', 'احد', 'بني ادم'])}${'(?: ' + AR_POLITE + ')'}{0,2}`,
);

// ---------------------------------------------------------------------------------------
// English (lower-cased; apostrophes kept).

const EN_DET = alt([
  'a',
  'an',
  'the',
  'some',
  'your',
  'my',
  'our',
  'one of your',
  'any',
  'another',
  'someone from',
  'somebody from',
]);
const EN_ADJ = alt([
  'real',
  'live',
  'actual',
  'human',
  'physical',
  'proper',
  'senior',
  'account',
  'customer service',
  'customer support',
  'customer care',
  'support',
  'service',
  'helpdesk',
  'help desk',
  'qualified',
  'competent',
]);
const EN_HEAD = alt([
  'human(?: being)?',
  'humans',
  'person',
  'people',
  'agents?',
  'representatives?',
  'reps?',
  'operators?',
  'staff(?: member)?',
  'managers?',
  'supervisors?',
  'employees?',
  'advisors?',
  'advisers?',
  'associates?',
  'team member',
  'specialists?',
  'customer (?:service|support|care)',
  'support(?: team)?',
  'help(?: ?desk)?',
  'someone',
  'somebody',
  'anyone',
  'anybody',
  'call center',
  'call centre',
]);
const EN_PERSON = `${opt(EN_DET)}${opt(EN_ADJ, 2)}${EN_HEAD}`;
// Stricter for "I need …": "I need someone to pick up my return" is not a request for an agent.
const EN_PERSON_STRICT = `${opt(EN_DET)}(?:${opt(EN_ADJ, 2)}${alt([
  'human(?: being)?',
  'person',
  'agent',
  'representative',
  'rep',
  'operator',
  'staff member',
  'manager',
  'supervisor',
  'employee',
  'advisor',
  'adviser',
  'customer (?:service|support|care)(?: agent| team| rep)?',
  'support team',
  'call cent(?:er|re)',
])}|${alt(['real', 'live', 'actual'])} (?:someone|somebody|person|human)|(?:someone|somebody) real)`;
const EN_SPEAK = alt([
  'talk',
  'speak',
  'chat',
  'connect',
  'transfer',
  'put',
  'pass',
  'switch',
  'escalate',
  'forward',
  'hand',
  'redirect',
  'route',
  'reach',
  'contact',
  'deal',
  'get through',
  'be connected',
  'be transferred',
  'communicate',
]);
const EN_OBJ = alt([
  'me',
  'us',
  'this',
  'it',
  'my (?:call|case|chat|issue|complaint|ticket)',
  'the (?:call|chat|conversation)',
  'over',
  'back',
]);
const EN_ADV = alt(['through', 'directly', 'now', 'please', 'right now', 'immediately', 'straight', 'asap']);
const EN_DESIRE = alt([
  'i want',
  'i wanna',
  'i need',
  "i'd like",
  'i would like',
  "i'd prefer",
  'i would prefer',
  'i prefer',
  'give me',
  'get me',
  'find me',
  'can i (?:have|get)',
  'could i (?:have|get)',
  'may i (?:have|get)',
  'let me have',
  'i request',
  'i demand',
  'i require',
  "i'm requesting",
  'i am requesting',
  'requesting',
  'request',
  'i insist on',
  'bring me',
  'send me',
  'can you get me',
  'could you get me',
  'can you find me',
  'i ask for',
  "i'm asking for",
  'i am asking for',
  'asking for',
  'i need to get',
]);
const EN_BOT = `${opt(alt(['a', 'the', 'this', 'your', 'an', 'some', 'stupid', 'dumb', 'automated']))}${alt([
  'bots?',
  'robots?',
  'machines?',
  'ai',
  'chatbots?',
  'chat bot',
  'automated (?:system|assistant|replies|reply|messages)',
  'computer',
  'program',
])}`;
const EN_NEG =
  /(?:^| )(?:don't|dont|do not|never|rather not|no need to|not|won't|wont|will not|doesn't|does not|no longer)(?: [^ ]+){0,3}$/u;
const EN_NEG_EXCEPT = /(?:^| )(?:know|understand|see|get why)(?: [^ ]+){0,3}$/u;
const EN_JOB = rx(
  alt([
    'become',
    'becoming',
    'hiring',
    'hire',
    'job',
    'jobs',
    'career',
    'careers',
    'vacancy',
    'vacancies',
    'apply',
    'applying',
    'work as',
    'join your team',
  ]),
);

const EN_RULES: RegExp[] = [
  // "talk to a human", "connect me to support staff", "I want to speak to a manager"
  rx(seq(EN_SPEAK, opt(EN_OBJ) + opt(EN_ADV) + alt(['to', 'with', 'through to', 'over to', 'through']), EN_PERSON)),
  // "get/reach/contact a human" without a preposition
  rx(seq(alt(['reach', 'contact', 'call', 'ring', 'page']), opt(alt(['me', 'us'])) + EN_PERSON_STRICT)),
  rx(seq('get', alt(['me', 'us', 'hold of', 'through to', 'in touch with']), EN_PERSON_STRICT)),
  rx(
    seq(
      'get',
      alt(['a', 'an']),
      opt(alt(['real', 'live', 'actual'])) + alt(['human', 'person', 'agent', 'representative', 'rep', 'operator']),
    ),
  ),
  // "I want a human", "can I get a real person", "give me a representative"
  rx(
    seq(
      EN_DESIRE,
      opt(
        alt([
          'to have',
          'to get',
          'just',
          'only',
          'please',
          'help from',
          'assistance from',
          'support from',
          'a word with',
        ]),
      ) + EN_PERSON_STRICT,
    ),
  ),
  // "human help/support", "live support", "help from a human"
  rx(seq(alt(['help', 'assistance', 'support']), alt(['from', 'by']), EN_PERSON_STRICT)),
  rx(
    seq(
      EN_DESIRE,
      opt(alt(['some', 'a', 'the'])) + alt(['human', 'live', 'real', 'personal']),
      alt(['help', 'assistance', 'support', 'chat', 'contact']),
    ),
  ),
  // "is there a real person", "is anyone there", "are there any humans"
  rx(
    seq(
      alt(['is there', 'are there', 'is anyone', 'is somebody', 'is someone', 'anyone', 'anybody']),
      opt(alt(['a', 'an', 'any'])) +
        alt([
          '(?:real |live |actual )?(?:human|person|agent|representative)s?',
          'real',
          'there',
          'here',
          'available',
          'human',
          'alive',
          'home',
        ]),
    ),
  ),
  // "escalate this", "escalate my case"
  rx(seq('escalate', alt(['this', 'it', 'my (?:case|issue|complaint|ticket|request)', 'please', 'now']))),
];
const EN_STANDALONE: RegExp[] = [
  // callbacks: "call me back", "give me a call", "have someone call me"
  rx(
    seq(
      alt(['call me', 'phone me', 'ring me']),
      alt([
        'back',
        'now',
        'please',
        'asap',
        'on',
        'at',
        'today',
        'tomorrow',
        'urgently',
        'right away',
        'when',
        'instead',
      ]),
    ),
  ),
  /(?:^| )(?:call me|phone me|ring me)$/u,
  rx(
    alt([
      'give me a call',
      'have someone call me',
      'can someone call me',
      'could someone call me',
      'someone call me',
      'request a call ?back',
      'i want a call ?back',
      'i need a call ?back',
      'call ?back please',
    ]),
  ),
  // "stop the bot", "no more bots", "I don't want a bot", "enough of this bot"
  rx(
    seq(
      alt([
        'stop',
        'skip',
        'bypass',
        'end',
        'quit',
        'turn off',
        'no more',
        'enough of',
        'enough with',
        'tired of',
        'sick of',
        'done with',
        'fed up with',
        'without',
      ]),
      EN_BOT,
    ),
  ),
  rx(
    seq(
      alt(["don't|dont|do not"]),
      alt(['want', 'need', 'wanna', 'like']),
      opt(alt(['to talk to', 'to speak to', 'to speak with', 'to talk with', 'to chat with', 'to deal with'])) + EN_BOT,
    ),
  ),
  whole(seq('no', opt('more') + EN_BOT) + `(?: ${alt(['please', 'pls', 'plz', 'thanks'])})?`),
];
const EN_POLITE = alt([
  'please',
  'pls',
  'plz',
  'hi',
  'hello',
  'hey',
  'ok',
  'okay',
  'just',
  'now',
  'yes',
  'no',
  'asap',
  'thanks',
  'thank you',
  'needed',
  'i said',
  'again',
]);
const EN_WHOLE = whole(
  `${opt(EN_POLITE, 3)}${opt(alt(['a', 'an']))}${opt(alt(['real', 'live', 'actual', 'human', 'customer service', 'customer support', 'support']))}${alt(
    [
      'human',
      'humans',
      'agent',
      'representative',
      'rep',
      'operator',
      'person',
      'manager',
      'supervisor',
      'customer service',
      'customer support',
      'customer care',
      'live chat',
      'someone',
      'anyone',
      'anybody',
      'somebody',
      'escalate',
      'staff',
    ],
  )}(?: ${EN_POLITE}){0,3}`,
);

// ---------------------------------------------------------------------------------------

/** Clauses of `text`, split at punctuation before folding (folding would turn «،» into a space). */
function clauses(text: string): string[] {
  return text
    .split(/[.,;:!?؟،؛\n\r|()[\]{}"“”«»…]+|\s[-–—]\s/u)
    .map((c) =>
      normaliseForSearch(c.replace(/[’‘`´]/g, "'"))
        .replace(/[^\p{L}\p{N}\p{M}' ]+/gu, ' ')
        .replace(/ +/g, ' ')
        .trim(),
    )
    .filter((c) => c.length > 0);
}

const GLOBAL = new WeakMap<RegExp, RegExp>();

function firstUnnegated(rule: RegExp, clause: string, isNegated: (before: string, match: string) => boolean): boolean {
  let global = GLOBAL.get(rule);
  if (!global) {
    global = new RegExp(rule.source, 'gu');
    GLOBAL.set(rule, global);
  }
  for (const m of clause.matchAll(global)) {
    const at = m.index ?? 0;
    const matched = m[0].trimStart();
    const before = clause.slice(0, at + (m[0].length - matched.length)).trimEnd();
    if (!isNegated(before, matched)) return true;
  }
  return false;
}

function arabicNegated(before: string, match: string): boolean {
  if (AR_NEG.test(before)) return true;
  return /(?:^| )لا$/u.test(before) && AR_LA_MSA.test(match);
}

function englishNegated(before: string): boolean {
  return EN_NEG.test(before) && !EN_NEG_EXCEPT.test(before);
}

function clauseAsks(clause: string): boolean {
  if (AR_WHOLE.test(clause) || EN_WHOLE.test(clause)) return true;
  if (
    AR_STANDALONE.some((r) => r.test(clause)) &&
    !AR_PAST.test(clause) &&
    !/(?:^| )(?:ما|لا|ليش ما|ليه ما)(?: |$)(?=.*(?:كلموني|اتصلو|تواصلو|دقو|ردو))/u.test(clause)
  )
    return true;
  if (
    EN_STANDALONE.some((r) =>
      firstUnnegated(r, clause, (b) => /(?:^| )(?:don't|dont|do not|never|please don't|stop)$/u.test(b)),
    )
  )
    return true;
  if (!AR_JOB.test(clause) && AR_RULES.some((r) => firstUnnegated(r, clause, arabicNegated))) return true;
  if (!EN_JOB.test(clause) && EN_RULES.some((r) => firstUnnegated(r, clause, englishNegated))) return true;
  return false;
}

/** True when the customer explicitly asks for a human (agent, employee, manager, a call back). */
export function asksForHuman(text: string): boolean {
  if (typeof text !== 'string' || text.length === 0) return false;
  // A request for a person is short; only look at the start of a long message.
  const head = text.length > 2000 ? text.slice(0, 2000) : text;
  try {
    return clauses(head).some(clauseAsks);
  } catch {
    return false;
  }
}
