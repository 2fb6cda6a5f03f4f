import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const retrievalCase = z.object({
  question: z.string().min(1),
  expected: z.string().nullable(),
  lang: z.enum(['ar', 'en']).optional(),
});
const sentimentCase = z.object({ text: z.string().min(1), label: z.enum(['positive', 'neutral', 'negative']) });

export type RetrievalCase = z.infer<typeof retrievalCase>;
export type SentimentCase = z.infer<typeof sentimentCase>;

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
export const readSentimentCases = (file: string) => readJsonl(file, sentimentCase);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
