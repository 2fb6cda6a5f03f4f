import type { Child } from 'hono/jsx';
import { FONTS_AR, FONTS_EN } from '../layout.js';
import { editorStrings, type Locale } from './strings.js';
import { EDITOR_CSS } from './styles.js';

export type EditorSection = 'articles' | 'gaps' | 'phrasing';

/**
 * An editor page: right-to-left for Arabic, the console's look, our constant CSS under the
 * page's nonce, and the editor's client script. What the script needs travels in data attributes.
 */
export function Shell(props: {
  locale: Locale;
  nonce: string;
  title: string;
  path: string;
  section?: EditorSection;
  me?: string;
  data?: Record<string, string>;
  children: Child;
}) {
  const { locale } = props;
  const t = editorStrings(locale);
  const ar = locale === 'ar';
  const other = ar ? 'en' : 'ar';
  const data: Record<string, string> = { 'data-locale': locale };
  for (const [k, v] of Object.entries(props.data ?? {})) data[`data-${k}`] = v;
  const nav = (section: EditorSection, href: string, label: string) => (
    <a href={href} aria-current={props.section === section ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <html lang={locale} dir={ar ? 'rtl' : 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${t.area}`}</title>
        {/* Our own constant CSS: set raw, since escaping would break the quoted font names. */}
        <style
          nonce={props.nonce}
          dangerouslySetInnerHTML={{ __html: `${EDITOR_CSS} body { font-family: ${ar ? FONTS_AR : FONTS_EN}; }` }}
        />
      </head>
      <body {...data}>
        <header class="top">
          <div class="in">
            <a class="brand" href="/console/editor">
              {t.brand}
              <small>{t.area}</small>
            </a>
            <nav aria-label={t.area}>
              {props.me && nav('articles', '/console/editor', t.articles)}
              {props.me && nav('gaps', '/console/editor/gaps', t.gaps)}
              {props.me && nav('phrasing', '/console/editor/phrasing', t.phrasing)}
            </nav>
            <a class="lang" href={`${props.path}${props.path.includes('?') ? '&' : '?'}locale=${other}`} lang={other}>
              {t.otherLanguage}
            </a>
            {props.me && (
              <>
                <bdi class="me">{props.me}</bdi>
                <button type="button" id="sign-out">
                  {t.signOut}
                </button>
              </>
            )}
          </div>
        </header>
        <main>{props.children}</main>
        <script nonce={props.nonce} src="/console/editor/app.js" defer />
      </body>
    </html>
  );
}

export function MessagePage(props: { locale: Locale; nonce: string; path: string; me?: string; text: string }) {
  const t = editorStrings(props.locale);
  return (
    <Shell locale={props.locale} nonce={props.nonce} title={t.area} path={props.path} me={props.me}>
      <p class="card pane">{props.text}</p>
    </Shell>
  );
}

export const when = (d: Date | string, locale: Locale) =>
  new Date(d).toLocaleString(locale === 'ar' ? 'ar-SA-u-nu-latn-ca-gregory' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
