import type { Child } from 'hono/jsx';

export type Locale = 'ar' | 'en';

export const localeFrom = (value: string | undefined): Locale => (value === 'en' ? 'en' : 'ar');

export const FONTS_AR =
  '"Noto Sans Arabic", "Noto Naskh Arabic", "Segoe UI", Tahoma, "Geeza Pro", "Noto Sans", Roboto, Arial, "Liberation Sans", sans-serif';
export const FONTS_EN =
  '-apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", "Noto Sans Arabic", sans-serif';

export const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; color: #1c2321; background: #f6f8f7; line-height: 1.6; }
a { color: #0f6e56; }
.top { background: #0f3b30; color: #fff; }
.top .in, main, footer .in { max-width: 1080px; margin: 0 auto; padding: 0 20px; }
.top .in { display: flex; align-items: center; gap: 18px; height: 64px; }
.brand { font-weight: 800; font-size: 22px; color: #fff; text-decoration: none; }
.top nav { display: flex; gap: 16px; flex: 1; } .top nav a, .top .lang { color: #d8efe7; text-decoration: none; }
.hero { background: linear-gradient(135deg, #0f6e56, #13a37f); color: #fff; border-radius: 18px; padding: 36px; margin: 24px 0; }
.hero h1 { margin: 0 0 8px; font-size: 32px; } .hero p { margin: 0; font-size: 18px; opacity: .95; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 16px; margin-bottom: 28px; }
.card { background: #fff; border-radius: 14px; padding: 16px; box-shadow: 0 2px 8px rgba(0,0,0,.06); }
.card .pic { height: 120px; border-radius: 10px; display: grid; place-items: center; font-size: 54px; background: #eef4f2; margin-bottom: 10px; }
.card h3 { margin: 0 0 4px; font-size: 16px; } .price { font-weight: 700; color: #0f6e56; }
.perks { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; margin-bottom: 28px; }
.perk { background: #fff; border-radius: 12px; padding: 14px 16px; border-inline-start: 4px solid #13a37f; }
footer { background: #0f3b30; color: #cfe3dc; padding: 20px 0; margin-top: 30px; font-size: 14px; }
.article { background: #fff; border-radius: 14px; padding: 24px 28px; margin: 24px 0; }
.article h1 { margin-top: 0; } .article p, .article li { unicode-bidi: plaintext; }
.meta { color: #5b6663; font-size: 14px; } ul.list { padding-inline-start: 20px; } ul.list li { margin: 6px 0; }
`;

/** A page of the demo storefront or the help centre: right-to-left for Arabic, the widget on it. */
export function Layout(props: { locale: Locale; title: string; nonce: string; path: string; children: Child }) {
  const { locale, title, nonce } = props;
  const ar = locale === 'ar';
  const other = ar ? 'en' : 'ar';
  const settings = JSON.stringify({ locale });
  return (
    <html lang={locale} dir={ar ? 'rtl' : 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {/* Our own constant CSS: set raw, since escaping would break the quoted font names. */}
        <style
          nonce={nonce}
          dangerouslySetInnerHTML={{ __html: `${PAGE_CSS} body { font-family: ${ar ? FONTS_AR : FONTS_EN}; }` }}
        />
      </head>
      <body>
        <div class="top">
          <div class="in">
            <a class="brand" href={`/?locale=${locale}`}>
              {ar ? 'سوق نخيل' : 'Souq Nakheel'}
            </a>
            <nav>
              <a href={`/?locale=${locale}`}>{ar ? 'الرئيسية' : 'Home'}</a>
              <a href={`/help?locale=${locale}`}>{ar ? 'مركز المساعدة' : 'Help centre'}</a>
            </nav>
            <a class="lang" href={`${props.path}?locale=${other}`} lang={other} hreflang={other}>
              {ar ? 'English' : 'العربية'}
            </a>
          </div>
        </div>
        <main>{props.children}</main>
        <footer>
          <div class="in">
            {ar
              ? 'متجر تجريبي لعرض سند: مساعد خدمة العملاء في الزاوية يجيب من مركز المساعدة.'
              : 'A demo store for Sanad: the customer-service assistant in the corner answers from the help centre.'}
          </div>
        </footer>
        {/* The embed, exactly as a site would paste it. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: `window.sanadSettings = ${settings};` }} />
        <script nonce={nonce} src="/widget/sanad.js" async />
      </body>
    </html>
  );
}
