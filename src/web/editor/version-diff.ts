import type { ArticleVersion } from '../../knowledge/articles.js';

export type Line = { kind: 'same' | 'add' | 'del'; text: string };

/**
 * A line diff by longest common subsequence: enough for article bodies (a few hundred lines),
 * and it reads the way editors expect (removed lines, then added ones, in place).
 */
export function lineDiff(before: string, after: string): Line[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        a[i] === b[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  const out: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] as string });
      i++;
      j++;
    } else if (((lcs[i + 1] as number[])[j] as number) >= ((lcs[i] as number[])[j + 1] as number)) {
      out.push({ kind: 'del', text: a[i++] as string });
    } else out.push({ kind: 'add', text: b[j++] as string });
  }
  while (i < n) out.push({ kind: 'del', text: a[i++] as string });
  while (j < m) out.push({ kind: 'add', text: b[j++] as string });
  return out;
}

/** Field by field: what differs between two versions (lists and the body as line diffs). */
export function versionDiff(from: ArticleVersion, to: ArticleVersion) {
  const text = (v: ArticleVersion, f: 'title' | 'lang' | 'team' | 'status') => String(v[f] ?? '');
  const fields = (['title', 'lang', 'team', 'status'] as const)
    .filter((f) => text(from, f) !== text(to, f))
    .map((f) => ({ field: f, lines: lineDiff(text(from, f), text(to, f)) }));
  const lists = (['tags', 'questions'] as const)
    .filter((f) => from[f].join('\n') !== to[f].join('\n'))
    .map((f) => ({ field: f, lines: lineDiff(from[f].join('\n'), to[f].join('\n')) }));
  const body = from.body === to.body ? [] : [{ field: 'body' as const, lines: lineDiff(from.body, to.body) }];
  return [...fields, ...lists, ...body];
}
