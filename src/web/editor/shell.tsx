import type { Child } from 'hono/jsx';
import { Account, otherLanguageHref, StaffPage } from '../staff-page.js';
import { editorStrings, type Locale } from './strings.js';
import { EDITOR_CSS } from './styles.js';

export type EditorSection = 'articles' | 'gaps' | 'phrasing';

/**
 * An editor page: the staff frame with the editor's links and the editor's client script. What
 * the script needs travels in data attributes.
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
  const nav = (section: EditorSection, href: string, label: string) => (
    <a href={href} aria-current={props.section === section ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <StaffPage
      locale={locale}
      nonce={props.nonce}
      title={props.title}
      css={EDITOR_CSS}
      brand={{ href: '/console/editor', name: t.brand, area: t.area }}
      nav={
        props.me && (
          <>
            {nav('articles', '/console/editor', t.articles)}
            {nav('gaps', '/console/editor/gaps', t.gaps)}
            {nav('phrasing', '/console/editor/phrasing', t.phrasing)}
          </>
        )
      }
      otherLanguage={{ href: otherLanguageHref(props.path, locale), label: t.otherLanguage }}
      account={props.me && <Account name={props.me} signOut={t.signOut} />}
      data={{ locale, ...props.data }}
      script="/console/editor/app.js"
    >
      {props.children}
    </StaffPage>
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
