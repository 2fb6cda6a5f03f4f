import type { Child } from 'hono/jsx';
import { otherLanguageHref, StaffPage } from '../staff-page.js';
import { type Locale, stringsFor } from './strings.js';
import { SUPERVISOR_CSS } from './styles.js';

/**
 * A supervisor page: the staff frame with the supervisor's links and no script at all (filters
 * are forms, charts are server-drawn SVG).
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
  return (
    <StaffPage
      locale={locale}
      nonce={props.nonce}
      title={props.title}
      css={SUPERVISOR_CSS}
      brand={{ href: `/console/supervisor?locale=${locale}`, name: t.brand, area: t.area }}
      nav={
        <>
          <a href={`/console/supervisor?locale=${locale}`} aria-current={props.page === 'kpis' ? 'page' : undefined}>
            {t.kpis}
          </a>
          <a
            href={`/console/supervisor/handoffs?locale=${locale}`}
            aria-current={props.page === 'handoffs' ? 'page' : undefined}
          >
            {t.handoffs}
          </a>
        </>
      }
      otherLanguage={{ href: otherLanguageHref(props.path, locale), label: t.otherLanguage }}
      account={props.me && <bdi class="me">{props.me}</bdi>}
    >
      {props.children}
    </StaffPage>
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
