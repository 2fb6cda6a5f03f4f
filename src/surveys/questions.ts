import type { Lang } from '../text/language.js';

export const SURVEY_KINDS = ['csat', 'nps', 'ces'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** Each survey's scale, and its question and end labels in both languages. */
export const SURVEYS: Record<
  SurveyKind,
  { min: number; max: number; question: Record<Lang, string>; low: Record<Lang, string>; high: Record<Lang, string> }
> = {
  csat: {
    min: 1,
    max: 5,
    question: {
      ar: 'ما مدى رضاك عن الخدمة في هذه المحادثة؟',
      en: 'How satisfied are you with the help you got in this conversation?',
    },
    low: { ar: 'غير راضٍ أبدًا', en: 'Very dissatisfied' },
    high: { ar: 'راضٍ جدًا', en: 'Very satisfied' },
  },
  nps: {
    min: 0,
    max: 10,
    question: {
      ar: 'ما مدى احتمال أن توصي صديقًا بنا؟',
      en: 'How likely are you to recommend us to a friend?',
    },
    low: { ar: 'مستبعد تمامًا', en: 'Not at all likely' },
    high: { ar: 'محتمل جدًا', en: 'Extremely likely' },
  },
  ces: {
    min: 1,
    max: 7,
    question: { ar: 'ما مدى سهولة حل طلبك معنا؟', en: 'How easy was it to get your issue resolved?' },
    low: { ar: 'صعب جدًا', en: 'Very difficult' },
    high: { ar: 'سهل جدًا', en: 'Very easy' },
  },
};

export const THANKS: Record<Lang, string> = {
  ar: 'شكرًا لك على وقتك ورأيك! 🌴',
  en: 'Thank you for your time and your feedback!',
};
