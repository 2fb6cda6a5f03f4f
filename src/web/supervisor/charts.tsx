/**
 * Charts drawn on the server as SVG: no chart library, no CDN, nothing to run in the browser.
 * Text is set with the page's direction, and in Arabic the bar charts are mirrored (labels on the
 * right, bars growing leftwards, days from right to left); the threshold curve keeps its numeric
 * axis left to right, as numbers read in both languages.
 */

export const COLORS = {
  total: '#9fb3ad',
  contained: '#13a37f',
  handedOff: '#c2410c',
  precision: '#0f6e56',
  coverage: '#2563eb',
};

interface Bar {
  label: string;
  value: number;
  /** The value as shown beside the bar. */
  shown: string;
}

/** Horizontal bars, one per row (hand-offs by reason, containment by channel). */
export function BarChart(props: { title: string; bars: Bar[]; rtl: boolean; color?: string }) {
  const width = 560;
  const labelWidth = 170;
  const valueWidth = 70;
  const row = 30;
  const height = Math.max(1, props.bars.length) * row + 8;
  const max = Math.max(...props.bars.map((b) => b.value), 0) || 1;
  const span = width - labelWidth - valueWidth;
  // Logical x (from the inline start) to SVG x.
  const X = (x: number) => (props.rtl ? width - x : x);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={props.title}
      direction={props.rtl ? 'rtl' : 'ltr'}
      font-size="13"
    >
      <title>{props.title}</title>
      {props.bars.map((b, i) => {
        const y = 4 + i * row;
        const w = (b.value / max) * span;
        return (
          <g>
            <text x={X(labelWidth - 8)} y={y + 19} text-anchor="end" fill="#1c2321">
              {b.label}
            </text>
            <rect
              x={props.rtl ? X(labelWidth + w) : labelWidth}
              y={y + 4}
              width={Math.max(w, 1)}
              height={20}
              rx={4}
              fill={props.color ?? COLORS.contained}
            />
            <text x={X(labelWidth + w + 6)} y={y + 19} text-anchor="start" fill="#4b5754">
              {b.shown}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Conversations per day with the contained and handed-off ones beside them. */
export function DailyChart(props: {
  title: string;
  days: { day: string; conversations: number; contained: number; handedOff: number }[];
  labels: { total: string; contained: string; handedOff: string };
  rtl: boolean;
}) {
  const width = 560;
  const height = 220;
  const top = 30;
  const bottom = 24;
  const side = 36;
  const plot = height - top - bottom;
  const max = Math.max(...props.days.map((d) => d.conversations), 1);
  const slot = (width - 2 * side) / Math.max(props.days.length, 1);
  const bar = Math.max(2, Math.min(18, (slot - 6) / 3));
  const X = (x: number) => (props.rtl ? width - x : x);
  const series = [
    ['conversations', COLORS.total, props.labels.total],
    ['contained', COLORS.contained, props.labels.contained],
    ['handedOff', COLORS.handedOff, props.labels.handedOff],
  ] as const;
  const every = Math.ceil(props.days.length / 8);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={props.title}
      direction={props.rtl ? 'rtl' : 'ltr'}
      font-size="12"
    >
      <title>{props.title}</title>
      {series.map(([, color, label], i) => (
        <g>
          <rect
            x={props.rtl ? X(side + i * 150 + 12) : side + i * 150}
            y={6}
            width={12}
            height={12}
            rx={2}
            fill={color}
          />
          <text x={X(side + i * 150 + 18)} y={16} text-anchor="start" fill="#1c2321">
            {label}
          </text>
        </g>
      ))}
      <line x1={side} x2={width - side} y1={top + plot} y2={top + plot} stroke="#c9d4d1" />
      <text x={X(side - 6)} y={top + 10} text-anchor="end" fill="#6b7774">
        {String(max)}
      </text>
      {props.days.map((d, i) => {
        const x0 = side + i * slot + (slot - 3 * bar) / 2;
        return (
          <g>
            {series.map(([key, color], j) => {
              const h = (d[key] / max) * plot;
              const lx = x0 + j * bar;
              return (
                <rect x={props.rtl ? X(lx + bar) : lx} y={top + plot - h} width={bar - 1} height={h} fill={color} />
              );
            })}
            {i % every === 0 && (
              <text
                x={X(side + i * slot + slot / 2)}
                y={height - 6}
                text-anchor="middle"
                fill="#6b7774"
                direction="ltr"
              >
                {d.day.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** Answered precision and coverage against the threshold, with the one in force marked (legend in the page). */
export function ThresholdChart(props: {
  title: string;
  points: { threshold: number; precision: number | null; coverage: number | null }[];
  current: number;
  labels: { current: string };
  rtl: boolean;
}) {
  const width = 560;
  const height = 240;
  const left = 44;
  const right = 16;
  const top = 30;
  const bottom = 30;
  const lo = Math.min(...props.points.map((p) => p.threshold), props.current);
  const hi = Math.max(...props.points.map((p) => p.threshold), props.current);
  const x = (t: number) => left + ((t - lo) / (hi - lo || 1)) * (width - left - right);
  const y = (v: number) => top + (1 - v) * (height - top - bottom);
  const line = (key: 'precision' | 'coverage') =>
    props.points
      .filter((p) => p[key] !== null)
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.threshold).toFixed(1)},${y(p[key] as number).toFixed(1)}`)
      .join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={props.title}
      direction="ltr"
      font-size="12"
    >
      <title>{props.title}</title>
      {ticks.map((v) => (
        <g>
          <line x1={left} x2={width - right} y1={y(v)} y2={y(v)} stroke="#e4ebe9" />
          <text x={left - 6} y={y(v) + 4} text-anchor="end" fill="#6b7774">
            {`${Math.round(v * 100)}%`}
          </text>
        </g>
      ))}
      {props.points
        .filter((_, i) => i % 2 === 0)
        .map((p) => (
          <text x={x(p.threshold)} y={height - 10} text-anchor="middle" fill="#6b7774">
            {p.threshold.toFixed(2)}
          </text>
        ))}
      <path d={line('precision')} fill="none" stroke={COLORS.precision} stroke-width={2.5} />
      <path d={line('coverage')} fill="none" stroke={COLORS.coverage} stroke-width={2.5} stroke-dasharray="1 0" />
      <line
        x1={x(props.current)}
        x2={x(props.current)}
        y1={top - 6}
        y2={height - bottom}
        stroke="#8a1c12"
        stroke-dasharray="5 4"
        stroke-width={1.5}
      />
      <text
        x={x(props.current) + 4}
        y={top - 10}
        fill="#8a1c12"
        direction={props.rtl ? 'rtl' : 'ltr'}
        text-anchor={props.rtl ? 'end' : 'start'}
      >
        {`${props.labels.current} ${props.current.toFixed(2)}`}
      </text>
    </svg>
  );
}
