import type { Child } from 'hono/jsx';
import { type Locale, stringsFor } from './strings.js';
import { FONTS_AR, FONTS_EN, SUPERVISOR_CSS } from './styles.js';

/**
 * A supervisor page: right-to-left for Arabic, our constant CSS under the page's nonce, no
 * script at all (filters are forms, charts are server-drawn SVG).
 */
export function Shell(props: {
  locale: Locale;
  nonce: string;
  title: string;
  page: 'kpis' | 'handoffs' | 'other';
  /** This page's path and query, for the language switch. */
  path: string;
  me?: string;
  children: Child;
}) {
  const { locale } = props;
  const t = stringsFor(locale);
  const ar = locale === 'ar';
  const other = ar ? 'en' : 'ar';
  const url = new URL(props.path, 'http://x');
  url.searchParams.set('locale', other);
  return (
    <html lang={locale} dir={ar ? 'rtl' : 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${t.brand}`}</title>
        {/* Our own constant CSS: set raw, since escaping would break the quoted font names. */}
        <style
          nonce={props.nonce}
          dangerouslySetInnerHTML={{ __html: `${SUPERVISOR_CSS} body { font-family: ${ar ? FONTS_AR : FONTS_EN}; }` }}
        />
      </head>
      <body>
        <header class="top">
          <div class="in">
            <a class="brand" href={`/console/supervisor?locale=${locale}`}>
              {t.brand}
              <small>{t.area}</small>
            </a>
            <nav aria-label={t.area}>
              <a
                href={`/console/supervisor?locale=${locale}`}
                aria-current={props.page === 'kpis' ? 'page' : undefined}
              >
                {t.kpis}
              </a>
              <a
                href={`/console/supervisor/handoffs?locale=${locale}`}
                aria-current={props.page === 'handoffs' ? 'page' : undefined}
              >
                {t.handoffs}
              </a>
            </nav>
            {props.me && <bdi class="me">{props.me}</bdi>}
            <a class="lang" href={`${url.pathname}${url.search}`} lang={other} hreflang={other}>
              {t.otherLanguage}
            </a>
          </div>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A time, left to right inside either language's text, so its digits never reorder. */
export function When(props: { iso: string; text: string }) {
  return (
    <time datetime={props.iso} dir="ltr">
      {props.text}
    </time>
  );
}
