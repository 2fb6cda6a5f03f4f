export type Locale = 'ar' | 'en';

const STRINGS = {
  ar: {
    launcher: 'افتح المحادثة مع خدمة العملاء',
    close: 'أغلق المحادثة',
    title: 'خدمة العملاء',
    subtitle: 'نرد عليك فورًا، وموظفونا متاحون عند الحاجة',
    welcome: 'أهلًا بك! كيف أقدر أساعدك اليوم؟',
    inputLabel: 'اكتب رسالتك',
    placeholder: 'اكتب سؤالك هنا…',
    send: 'إرسال',
    human: 'التحدث مع موظف',
    humanSent: 'أريد التحدث مع موظف',
    sources: 'المصادر',
    helpful: 'هل كانت الإجابة مفيدة؟',
    yes: 'نعم',
    no: 'لا',
    thanks: 'شكرًا على رأيك.',
    notHelpedOffer: 'آسفين لذلك. يمكنك إعادة صياغة سؤالك أو التحدث مع موظف.',
    queued: 'أنت في قائمة الانتظار، وسيرد عليك أحد موظفينا هنا.',
    assigned: 'انضم أحد موظفينا إلى المحادثة.',
    resolved: 'أُغلقت هذه المحادثة. اكتب رسالة لبدء محادثة جديدة.',
    agent: 'موظف',
    bot: 'المساعد',
    you: 'أنت',
    failed: 'تعذّر إرسال رسالتك. حاول مرة أخرى.',
    reconnecting: 'جارٍ إعادة الاتصال…',
    earlier: 'محادثة سابقة',
    typing: 'يكتب…',
  },
  en: {
    launcher: 'Open the chat with customer service',
    close: 'Close the chat',
    title: 'Customer service',
    subtitle: 'We answer right away, and our team is here when you need them',
    welcome: 'Hello! How can I help you today?',
    inputLabel: 'Type your message',
    placeholder: 'Type your question…',
    send: 'Send',
    human: 'Talk to a person',
    humanSent: "I'd like to talk to a person",
    sources: 'Sources',
    helpful: 'Was this helpful?',
    yes: 'Yes',
    no: 'No',
    thanks: 'Thanks for your feedback.',
    notHelpedOffer: 'Sorry about that. You can rephrase your question or talk to a person.',
    queued: "You're in the queue; one of our team will reply here.",
    assigned: 'One of our team has joined the conversation.',
    resolved: 'This conversation is closed. Write a message to start a new one.',
    agent: 'Agent',
    bot: 'Assistant',
    you: 'You',
    failed: "Your message couldn't be sent. Please try again.",
    reconnecting: 'Reconnecting…',
    earlier: 'Earlier conversation',
    typing: 'typing…',
  },
} as const;

export type Strings = { [K in keyof (typeof STRINGS)['en']]: string };

export const stringsFor = (locale: Locale): Strings => STRINGS[locale];

export const localeOf = (value: unknown, fallback: Locale): Locale =>
  value === 'ar' || value === 'en' ? value : typeof value === 'string' && /^ar\b/i.test(value) ? 'ar' : fallback;
