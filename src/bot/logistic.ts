/**
 * Weighted L2-regularised logistic regression by Newton's method (IRLS), for calibration: the
 * confidence model's coefficients (scripts/calibrate.ts) and a knowledge base's own adjustment
 * (src/bot/self-calibration.ts). `x` already holds the intercept's 1 if one is wanted; `l2`
 * applies to every coefficient listed in `penalised` (by default all but the first), pulling it
 * towards `prior` (zeros by default). `offset` is a fixed term added to a row's log-odds.
 */
export function fitLogistic(
  data: { x: number[]; y: 0 | 1; w?: number; offset?: number }[],
  options: { l2: number; penalised?: number[]; prior?: number[]; iterations?: number },
): number[] {
  const d = data[0]?.x.length ?? 0;
  const n = data.length;
  const penalised = options.penalised ?? Array.from({ length: d }, (_, i) => i).filter((i) => i > 0);
  const prior = options.prior ?? new Array<number>(d).fill(0);
  let w = [...prior];
  for (let iter = 0; iter < (options.iterations ?? 50); iter++) {
    const g = new Array<number>(d).fill(0);
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const r of data) {
      const p = 1 / (1 + Math.exp(-r.x.reduce((s, v, i) => s + v * (w[i] as number), r.offset ?? 0)));
      const k = r.w ?? 1;
      for (let i = 0; i < d; i++) {
        g[i] = (g[i] as number) + k * (p - r.y) * (r.x[i] as number);
        const hi = h[i] as number[];
        for (let j = 0; j < d; j++)
          hi[j] = (hi[j] as number) + k * p * (1 - p) * (r.x[i] as number) * (r.x[j] as number);
      }
    }
    for (const i of penalised) {
      g[i] = (g[i] as number) + options.l2 * n * ((w[i] as number) - (prior[i] as number));
      (h[i] as number[])[i] = ((h[i] as number[])[i] as number) + options.l2 * n;
    }
    const step = solve(h, g);
    w = w.map((v, i) => v - (step[i] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return w;
}

/** Gaussian elimination with partial pivoting: a small dense system. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const p = (m[col] as number[])[col] as number;
    if (p === 0) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = ((m[r] as number[])[col] as number) / p;
      for (let k = col; k <= n; k++)
        (m[r] as number[])[k] = ((m[r] as number[])[k] as number) - f * ((m[col] as number[])[k] as number);
    }
  }
  return m.map((row, i) => {
    const p = (m[i] as number[])[i] as number;
    return p === 0 ? 0 : (row[n] as number) / p;
  });
}
