import type { Child } from 'hono/jsx';
import { FONTS_AR, FONTS_EN } from './layout.js';

type Locale = 'ar' | 'en';

/** A staff page's parts; each console (agent, editor, supervisor) fills them with its own words. */
export interface StaffPageProps {
  locale: Locale;
  nonce: string;
  /** The window title, before the area's name. */
  title: string;
  css: string;
  brand: { href: string; name: string; area: string };
  /** The area's links (the current one with aria-current). */
  nav?: Child;
  /** Controls after the links (an availability switch). */
  tools?: Child;
  /** The page in the other language. */
  otherLanguage: { href: string; label: string };
  /** Who is signed in, and how to sign out. */
  account?: Child;
  /** What the page's script needs, as data-* attributes on the body (escaped). */
  data?: Record<string, string>;
  /** The one script (served, under the nonce); none for a page that works without one. */
  script?: string;
  children: Child;
}

/**
 * The frame every staff page shares: right-to-left for Arabic, never indexed, our constant CSS
 * under the page's nonce, a top bar with the area's links and the language switch.
 */
export function StaffPage(props: StaffPageProps) {
  const { locale } = props;
  const ar = locale === 'ar';
  const other = ar ? 'en' : 'ar';
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(props.data ?? {})) data[`data-${k}`] = v;
  return (
    <html lang={locale} dir={ar ? 'rtl' : 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${props.brand.area}`}</title>
        {/* Our own constant CSS: set raw, since escaping would break the quoted font names. */}
        <style
          nonce={props.nonce}
          dangerouslySetInnerHTML={{ __html: `${props.css} body { font-family: ${ar ? FONTS_AR : FONTS_EN}; }` }}
        />
      </head>
      <body {...data}>
        <header class="top">
          <div class="in">
            <a class="brand" href={props.brand.href}>
              {props.brand.name}
              <small>{props.brand.area}</small>
            </a>
            <nav aria-label={props.brand.area}>{props.nav}</nav>
            {props.tools}
            <a class="lang" href={props.otherLanguage.href} lang={other} hreflang={other}>
              {props.otherLanguage.label}
            </a>
            {props.account}
          </div>
        </header>
        <main>{props.children}</main>
        {props.script && <script nonce={props.nonce} src={props.script} defer />}
      </body>
    </html>
  );
}

/** The same address in the other language (its `locale` replaced, the rest kept). */
export function otherLanguageHref(path: string, locale: Locale): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('locale', locale === 'ar' ? 'en' : 'ar');
  return `${url.pathname}${url.search}`;
}

/** The signed-in person's name and the sign-out button (the page's script signs out). */
export function Account(props: { name: string; signOut: string }) {
  return (
    <>
      <bdi class="me">{props.name}</bdi>
      <button type="button" id="sign-out">
        {props.signOut}
      </button>
    </>
  );
}
