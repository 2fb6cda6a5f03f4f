export const HANDOFF_REASONS = [
  'low_confidence',
  'clarification_failed',
  'customer_request',
  'negative_sentiment',
  'sensitive_topic',
  'repeated_failure',
  'model_unavailable',
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** A score this low hands off whatever the words: the scorer (or the model) is sure. */
export const VERY_NEGATIVE = -0.9;

/**
 * Whether the customer's mood is bad enough, or sinking fast enough, for a person. `upset`
 * (src/understanding/upset.ts) tells an upset customer from a plain problem report: a message
 * that only describes what went wrong ("my card isn't working") scores negative but wants an
 * answer, so below the threshold it hands off only when upset or very negative.
 */
export function sentimentNeedsPerson(trend: number[], threshold: number, upset = true): boolean {
  const latest = trend.at(-1);
  if (latest === undefined) return false;
  if (latest <= threshold && (upset || latest <= Math.min(threshold, VERY_NEGATIVE))) return true;
  // Worsening: three messages in a row each worse than the last, ending clearly negative.
  const last3 = trend.slice(-3);
  return (
    last3.length === 3 &&
    (last3[0] as number) > (last3[1] as number) &&
    (last3[1] as number) > latest &&
    latest <= threshold / 2
  );
}

const REASON_WEIGHT: Record<HandoffReason, number> = {
  negative_sentiment: 25,
  customer_request: 15,
  repeated_failure: 15,
  sensitive_topic: 10,
  model_unavailable: 5,
  low_confidence: 0,
  // The customer already tried once (a "did you mean" that missed): they should not wait last.
  clarification_failed: 5,
};

/** 0..100; the queue orders by this, then by how long the customer has waited. */
export function handoffPriority(reason: HandoffReason, sentiment: number): number {
  const mood = sentiment < 0 ? Math.round(-sentiment * 25) : 0;
  return Math.max(0, Math.min(100, 50 + REASON_WEIGHT[reason] + mood));
}

export function isSensitive(tags: string[], sensitiveTags: string[]): boolean {
  return tags.some((t) => sensitiveTags.includes(t));
}

/** What the customer reads when a person takes over, in their language. */
export function handoffNotice(lang: 'ar' | 'en'): string {
  return lang === 'ar'
    ? 'سأحوّل محادثتك إلى أحد موظفي خدمة العملاء، وسيرد عليك هنا في أقرب وقت. شكرًا لصبرك.'
    : "I'm passing your conversation to one of our customer-service team; they'll reply here shortly. Thank you for your patience.";
}

/** What the customer reads after sending a photo, a voice note or a location: the bot reads text. */
export function unsupportedContentReply(lang: 'ar' | 'en'): string {
  return lang === 'ar'
    ? 'شكرًا لك. أستطيع قراءة الرسائل النصية فقط حاليًا؛ هل يمكنك كتابة سؤالك؟ ويمكنك أيضًا طلب التحدث مع موظف.'
    : 'Thank you. I can only read text messages for now; could you type your question? You can also ask to talk to a person.';
}

/** What the customer reads after saying the answer did not help: one more try before a person. */
export function rephraseRequest(lang: 'ar' | 'en'): string {
  return lang === 'ar'
    ? 'آسف أن الإجابة لم تفدك. هل يمكنك توضيح سؤالك أكثر أو كتابته بطريقة أخرى؟ ويمكنك أيضًا طلب التحدث مع موظف.'
    : "Sorry that didn't help. Could you tell me a bit more, or ask in another way? You can also ask to talk to a person.";
}
