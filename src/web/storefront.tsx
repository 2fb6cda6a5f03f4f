import { Layout, type Locale } from './layout.js';

const PRODUCTS = [
  { icon: '📺', ar: 'تلفزيون ذكي 55 بوصة 4K', en: '55" 4K smart TV', price: 1899 },
  { icon: '❄️', ar: 'مكيف سبليت 18 ألف وحدة', en: '18,000 BTU split air conditioner', price: 2349 },
  { icon: '📱', ar: 'جوال 256 جيجابايت', en: '256 GB smartphone', price: 3199 },
  { icon: '🎧', ar: 'سماعات لاسلكية بعزل الضوضاء', en: 'Noise-cancelling wireless headphones', price: 649 },
  { icon: '🧺', ar: 'غسالة أمامية 9 كيلو', en: '9 kg front-load washer', price: 1549 },
  { icon: '☕', ar: 'آلة قهوة إسبريسو', en: 'Espresso machine', price: 799 },
];

const PERKS = {
  ar: [
    'توصيل مجاني للطلبات فوق 200 ريال',
    'إرجاع خلال 15 يومًا',
    'قسّمها على 4 دفعات مع تابي أو تمارا',
    'استلم طلبك من أقرب فرع',
  ],
  en: [
    'Free delivery on orders over SAR 200',
    'Returns within 15 days',
    'Split it into 4 payments with Tabby or Tamara',
    'Click & collect from your nearest branch',
  ],
};

const price = (n: number, locale: Locale) =>
  new Intl.NumberFormat(locale === 'ar' ? 'ar-SA' : 'en-SA', {
    style: 'currency',
    currency: 'SAR',
    maximumFractionDigits: 0,
  }).format(n);

/** `/`: the sample retailer's home page, with the chat widget embedded as any site would. */
export function Storefront(props: { locale: Locale; nonce: string }) {
  const { locale } = props;
  const ar = locale === 'ar';
  return (
    <Layout
      locale={locale}
      nonce={props.nonce}
      path="/"
      title={ar ? 'سوق نخيل — إلكترونيات وأجهزة منزلية' : 'Souq Nakheel — electronics and home appliances'}
    >
      <section class="hero">
        <h1>{ar ? 'عروض الشتاء على الأجهزة المنزلية' : 'Winter deals on home appliances'}</h1>
        <p>
          {ar
            ? 'عندك سؤال عن التوصيل أو الإرجاع أو الدفع؟ اسأل مساعدنا في الزاوية، يرد عليك فورًا بالعربي أو الإنجليزي.'
            : 'A question about delivery, returns or payment? Ask our assistant in the corner: it answers right away, in Arabic or English.'}
        </p>
      </section>
      <div class="perks">
        {PERKS[locale].map((p) => (
          <div class="perk">{p}</div>
        ))}
      </div>
      <div class="grid">
        {PRODUCTS.map((p) => (
          <div class="card">
            <div class="pic" aria-hidden="true">
              {p.icon}
            </div>
            <h3>{ar ? p.ar : p.en}</h3>
            <div class="price">{price(p.price, locale)}</div>
          </div>
        ))}
      </div>
    </Layout>
  );
}
