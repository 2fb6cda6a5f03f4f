import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const retrievalCase = z.object({
  question: z.string().min(1),
  expected: z.string().nullable(),
  lang: z.enum(['ar', 'en']).optional(),
});
// A passage case: a retrieval case that also names the section that answers it (its heading as
// written in the article; null for the article's opening, its summary) and, optionally, its split.
const passageCase = z.object({
  question: z.string().min(1),
  expected: z.string().min(1),
  section: z.string().min(1).nullable(),
  lang: z.enum(['ar', 'en']).optional(),
  split: z.string().min(1).optional(),
});
const sentimentCase = z.object({ text: z.string().min(1), label: z.enum(['positive', 'neutral', 'negative']) });

export type RetrievalCase = z.infer<typeof retrievalCase>;
export type SentimentCase = z.infer<typeof sentimentCase>;
export type PassageCase = z.infer<typeof passageCase>;

async function readJsonl<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`,
      );
    out.push(parsed.data);
  });
  return out;
}

export const readRetrievalCases = (file: string) => readJsonl(file, retrievalCase);
export const readPassageCases = (file: string) => readJsonl(file, passageCase);
export const readSentimentCases = (file: string) => readJsonl(file, sentimentCase);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
