import type { SentimentLabel, SentimentScorer } from '../understanding/sentiment/sentiment.js';
import { readSentimentCases } from './cases.js';

const LABELS: SentimentLabel[] = ['negative', 'neutral', 'positive'];

export interface SentimentReport {
  cases: number;
  accuracy: number;
  macro_f1: number;
  per_label: Record<SentimentLabel, { precision: number; recall: number; f1: number; support: number }>;
}

export async function evaluateSentiment(scorer: SentimentScorer, casesFile: string): Promise<SentimentReport> {
  const cases = await readSentimentCases(casesFile);
  const predicted: SentimentLabel[] = [];
  for (const c of cases) predicted.push((await scorer.score(c.text)).label);
  const per_label = {} as SentimentReport['per_label'];
  for (const label of LABELS) {
    const tp = cases.filter((c, i) => c.label === label && predicted[i] === label).length;
    const fp = cases.filter((c, i) => c.label !== label && predicted[i] === label).length;
    const fn = cases.filter((c, i) => c.label === label && predicted[i] !== label).length;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    per_label[label] = {
      precision,
      recall,
      f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
      support: tp + fn,
    };
  }
  const present = LABELS.filter((l) => per_label[l].support > 0);
  return {
    cases: cases.length,
    accuracy: cases.filter((c, i) => c.label === predicted[i]).length / Math.max(1, cases.length),
    macro_f1: present.reduce((s, l) => s + per_label[l].f1, 0) / Math.max(1, present.length),
    per_label,
  };
}
