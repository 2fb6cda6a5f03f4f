import type { KpiGroup, KpiReport, ThresholdView, TopicAlert } from '../../reporting/index.js';
import { BarChart, COLORS, DailyChart, ThresholdChart } from './charts.js';
import { Filters, type PageQuery } from './filters.js';
import { Shell, When } from './shell.js';
import { type Formatters, formatters, type Locale, type Strings, stringsFor } from './strings.js';

export interface KpiPageProps {
  locale: Locale;
  nonce: string;
  path: string;
  me: string;
  query: PageQuery;
  teams: string[];
  channels: string[];
  /** Search string of the report (period and filters), for links to the log and the audit list. */
  reportSearch: string;
  report?: KpiReport;
  threshold?: ThresholdView;
  alerts?: TopicAlert[];
  /** A bad period or range: the problem's detail, shown instead of figures. */
  error?: string;
}

function Tile(props: { label: string; value: string; sub?: string; href?: string; hrefLabel?: string }) {
  return (
    <div class="tile">
      <div class="label">{props.label}</div>
      <div class="value">{props.value}</div>
      {props.sub && <div class="sub">{props.sub}</div>}
      {props.href && (
        <a class="sub" href={props.href}>
          {props.hrefLabel}
        </a>
      )}
    </div>
  );
}

function Tiles(props: { g: KpiGroup; t: Strings; f: Formatters; auditHref: string }) {
  const { g, t, f } = props;
  return (
    <section class="tiles" aria-label={t.kpis}>
      <Tile label={t.conversations} value={f.int(g.conversations)} />
      <Tile
        label={t.containment}
        value={f.pct(g.containment.rate)}
        sub={t.of(f.int(g.containment.contained), f.int(g.conversations))}
        href={props.auditHref}
        hrefLabel={t.containmentAudit}
      />
      <Tile
        label={t.handoffRate}
        value={f.pct(g.handoffs.rate)}
        sub={t.of(f.int(g.handoffs.conversations), f.int(g.conversations))}
      />
      <Tile
        label={t.firstResponseBot}
        value={f.duration(g.firstResponse.bot.avgSeconds)}
        sub={`${t.median}: ${f.duration(g.firstResponse.bot.medianSeconds)}`}
      />
      <Tile
        label={t.firstResponseHuman}
        value={f.duration(g.firstResponse.human.avgSeconds)}
        sub={`${t.median}: ${f.duration(g.firstResponse.human.medianSeconds)}`}
      />
      <Tile label={t.resolutionTime} value={f.duration(g.resolution.avgSeconds)} sub={f.int(g.resolution.resolved)} />
      <Tile
        label={t.fcr}
        value={f.pct(g.firstContactResolution.rate)}
        sub={t.of(f.int(g.firstContactResolution.resolvedFirstTime), f.int(g.firstContactResolution.ended))}
      />
      <Tile
        label={t.csat}
        value={f.pct(g.csat.rate)}
        sub={`${t.of(f.num(g.csat.average), '5')} · ${f.int(g.csat.responses)} ${t.responses}`}
      />
      <Tile
        label={t.nps}
        value={f.num(g.nps.score === null ? null : Math.round(g.nps.score))}
        sub={`${f.int(g.nps.responses)} ${t.responses}`}
      />
      <Tile label={t.ces} value={t.of(f.num(g.ces.average), '7')} sub={`${f.int(g.ces.responses)} ${t.responses}`} />
      <Tile
        label={t.suggestions}
        value={f.pct(g.suggestions.acceptanceRate)}
        sub={`${t.editRate}: ${f.pct(g.suggestions.editRate)}`}
      />
      <Tile label={t.helpful} value={f.pct(g.helpfulness.rate)} sub={`${f.int(g.helpfulness.votes)} ${t.votes}`} />
      <Tile
        label={t.repeatedComplaints}
        value={f.int(g.repeatedComplaints.contacts)}
        sub={`${t.contacts} · ${f.int(g.repeatedComplaints.conversations)} ${t.conversations}`}
      />
    </section>
  );
}

function GroupTable(props: { report: KpiReport; t: Strings; f: Formatters }) {
  const { report, t, f } = props;
  const by = report.by as string;
  const name = (key: string | null) =>
    key === null ? t.none : by === 'channel' ? (t.channels[key] ?? key) : by === 'lang' ? (t.langs[key] ?? key) : key;
  return (
    <section class="card">
      <h2>{`${t.byGroup} ${t.dimensions[by] ?? by}`}</h2>
      <table>
        <thead>
          <tr>
            <th>{t.dimensions[by]}</th>
            <th class="num">{t.conversations}</th>
            <th class="num">{t.containment}</th>
            <th class="num">{t.handoffRate}</th>
            <th class="num">{t.firstResponseHuman}</th>
            <th class="num">{t.fcr}</th>
            <th class="num">{t.csat}</th>
            <th class="num">{t.nps}</th>
          </tr>
        </thead>
        <tbody>
          {report.groups.map((g) => (
            <tr>
              <td>
                <bdi>{name(g.key)}</bdi>
              </td>
              <td class="num">{f.int(g.conversations)}</td>
              <td class="num">{f.pct(g.containment.rate)}</td>
              <td class="num">{f.pct(g.handoffs.rate)}</td>
              <td class="num">{f.duration(g.firstResponse.human.avgSeconds)}</td>
              <td class="num">{f.pct(g.firstContactResolution.rate)}</td>
              <td class="num">{f.pct(g.csat.rate)}</td>
              <td class="num">{f.num(g.nps.score === null ? null : Math.round(g.nps.score))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Threshold(props: { view: ThresholdView; t: Strings; f: Formatters; rtl: boolean }) {
  const { view, t, f } = props;
  return (
    <section class="card" aria-labelledby="threshold-title">
      <h2 id="threshold-title">{t.threshold}</h2>
      <p class="muted">{t.thresholdHint}</p>
      {view.inForce.ar !== view.inForce.en && (
        <p class="muted" data-testid="threshold-by-language">
          {t.thresholdByLanguage(view.inForce.ar.toFixed(2), view.inForce.en.toFixed(2))}
        </p>
      )}
      <p class="muted">
        <span class="pill swatch precision">{t.precision}</span> <span class="pill swatch coverage">{t.coverage}</span>{' '}
        {`${f.int(view.judged)} ${t.judged}`}
      </p>
      <ThresholdChart
        title={t.threshold}
        points={view.points}
        current={view.current}
        labels={{ current: t.current }}
        rtl={props.rtl}
      />
      <table>
        <thead>
          <tr>
            <th class="num">{t.threshold}</th>
            <th class="num">{t.precision}</th>
            <th class="num">{t.coverage}</th>
            <th class="num">{t.wouldAnswer}</th>
          </tr>
        </thead>
        <tbody>
          {view.points
            // Every 0.1 and the threshold in force: the chart has the rest.
            .filter((p) => Math.round(p.threshold * 100) % 10 === 0 || p.threshold === view.current)
            .map((p) => (
              <tr>
                <td class="num">
                  {p.threshold === view.current ? (
                    <strong>{`${p.threshold.toFixed(2)} (${t.current})`}</strong>
                  ) : (
                    p.threshold.toFixed(2)
                  )}
                </td>
                <td class="num">{f.pct(p.precision)}</td>
                <td class="num">{f.pct(p.coverage)}</td>
                <td class="num">{f.int(p.handoffsAnswered)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

function Alerts(props: { alerts: TopicAlert[]; t: Strings; f: Formatters }) {
  const { t, f } = props;
  return (
    <section class="card" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t.alerts}</h2>
      {props.alerts.length === 0 ? (
        <p class="muted">{t.noAlerts}</p>
      ) : (
        <ul class="alerts">
          {props.alerts.map((a) => (
            <li>
              <span class="pill warn">
                <bdi>{a.tag}</bdi>
              </span>{' '}
              <strong>{t.alertMetric[a.metric]}</strong>
              {': '}
              {t.alertLine(f.int(a.count), f.num(a.baseline))}{' '}
              <span class="muted">
                <When iso={a.windowEnd} text={f.date(a.windowEnd)} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The supervisor's dashboard: KPI tiles, charts, the breakdown, the threshold view and topic alerts. */
export function KpiPage(props: KpiPageProps) {
  const t = stringsFor(props.locale);
  const f = formatters(props.locale);
  const rtl = props.locale === 'ar';
  const { report } = props;
  return (
    <Shell locale={props.locale} nonce={props.nonce} title={t.kpis} page="kpis" path={props.path} me={props.me}>
      <h1>{t.kpis}</h1>
      <Filters
        locale={props.locale}
        action="/console/supervisor"
        query={props.query}
        teams={props.teams}
        channels={props.channels}
        kind="kpis"
      />
      {props.error && (
        <div class="error" role="alert">
          <strong>{t.badPeriod}</strong>: <bdi>{props.error}</bdi>
        </div>
      )}
      {report && (
        <>
          <p class="muted" dir="ltr">{`${f.date(report.from)} → ${f.date(report.to)}`}</p>
          <Tiles g={report.overall} t={t} f={f} auditHref={`/console/supervisor/contained?${props.reportSearch}`} />
          <div class="grid2">
            <section class="card">
              <h2>{t.handoffByReason}</h2>
              <BarChart
                title={t.handoffByReason}
                rtl={rtl}
                color={COLORS.handedOff}
                bars={Object.entries(report.overall.handoffs.byReason)
                  .sort((a, b) => b[1].count - a[1].count)
                  .map(([reason, r]) => ({
                    label: t.reasons[reason] ?? reason,
                    value: r.count,
                    shown: `${f.int(r.count)} · ${f.pct(r.rate)}`,
                  }))}
              />
            </section>
            <section class="card">
              <h2>{t.daily}</h2>
              <DailyChart
                title={t.daily}
                days={report.daily}
                rtl={rtl}
                labels={{ total: t.conversations, contained: t.contained, handedOff: t.handedOff }}
              />
            </section>
          </div>
          {report.by && report.groups.length > 0 && (
            <div class="grid2">
              <section class="card">
                <h2>{`${t.containment} · ${t.dimensions[report.by]}`}</h2>
                <BarChart
                  title={t.containment}
                  rtl={rtl}
                  bars={report.groups.map((g) => ({
                    label:
                      g.key === null
                        ? t.none
                        : report.by === 'channel'
                          ? (t.channels[g.key] ?? g.key)
                          : report.by === 'lang'
                            ? (t.langs[g.key] ?? g.key)
                            : g.key,
                    value: g.containment.rate ?? 0,
                    shown: f.pct(g.containment.rate),
                  }))}
                />
              </section>
              <GroupTable report={report} t={t} f={f} />
            </div>
          )}
        </>
      )}
      <div class="grid2">
        {props.threshold && <Threshold view={props.threshold} t={t} f={f} rtl={rtl} />}
        {props.alerts && <Alerts alerts={props.alerts} t={t} f={f} />}
      </div>
    </Shell>
  );
}
