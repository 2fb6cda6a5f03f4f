import { HANDOFF_REASONS } from '../../bot/index.js';
import { PERIODS } from '../../reporting/index.js';
import type { Locale } from './strings.js';
import { stringsFor } from './strings.js';

/** What the page was asked for, as typed (put back into the form and links unchanged). */
export type PageQuery = Record<string, string>;

function Select(props: { name: string; label: string; value?: string; any?: string; options: [string, string][] }) {
  return (
    <div class="field">
      {/* Label beside, not around, the control: its name is the label, not the option texts too. */}
      <label for={`f-${props.name}`}>{props.label}</label>
      <select name={props.name} id={`f-${props.name}`}>
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.options.map(([value, label]) => (
          <option value={value} selected={props.value === value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The period and filters as a plain GET form: the page's URL is the report, so it can be
 * bookmarked and shared. Dates win over the named period when both are filled.
 */
export function Filters(props: {
  locale: Locale;
  action: string;
  query: PageQuery;
  teams: string[];
  channels: string[];
  kind: 'kpis' | 'handoffs';
}) {
  const t = stringsFor(props.locale);
  const q = props.query;
  return (
    <form class="filters card" method="get" action={props.action}>
      <input type="hidden" name="locale" value={props.locale} />
      <Select
        name="period"
        label={t.period}
        value={q.from || q.to ? '' : (q.period ?? '7d')}
        any="—"
        options={Object.keys(PERIODS).map((p) => [p, t.periods[p as keyof typeof t.periods]])}
      />
      <div class="field">
        <label for="f-from">{t.from}</label>
        <input type="date" name="from" id="f-from" value={q.from ?? ''} dir="ltr" />
      </div>
      <div class="field">
        <label for="f-to">{t.to}</label>
        <input type="date" name="to" id="f-to" value={q.to ?? ''} dir="ltr" />
      </div>
      <Select
        name="channel"
        label={t.channel}
        value={q.channel}
        any={t.any}
        options={props.channels.map((c) => [c, t.channels[c] ?? c])}
      />
      <Select name="team" label={t.team} value={q.team} any={t.any} options={props.teams.map((x) => [x, x])} />
      <Select
        name="lang"
        label={t.lang}
        value={q.lang}
        any={t.any}
        options={[
          ['ar', t.langs.ar as string],
          ['en', t.langs.en as string],
        ]}
      />
      {props.kind === 'handoffs' ? (
        <Select
          name="reason"
          label={t.reason}
          value={q.reason}
          any={t.any}
          options={HANDOFF_REASONS.map((r) => [r, t.reasons[r] ?? r])}
        />
      ) : (
        <Select
          name="by"
          label={t.by}
          value={q.by}
          any={t.none}
          options={['channel', 'team', 'lang'].map((d) => [d, t.dimensions[d] ?? d])}
        />
      )}
      <button class="btn" type="submit">
        {t.apply}
      </button>
    </form>
  );
}

/** The report's own query (period, dates, filters) from a page query, empty fields dropped. */
export function reportQuery(q: PageQuery, keys = ['period', 'from', 'to', 'channel', 'team', 'lang', 'reason']) {
  const out: Record<string, string> = {};
  for (const k of keys) if (q[k]) out[k] = q[k] as string;
  // An empty period select with dates filled means "use the dates".
  if ((out.from || out.to) && q.period === '') delete out.period;
  return out;
}
