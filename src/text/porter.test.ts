import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stemmer as oramaStemmer } from '@orama/stemmers/english';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../platform/paths.js';
import { porterStem } from './porter.js';
import { oneEditAway } from './spelling.js';

/** Every lower-case Latin word of the sample knowledge base and the project's evaluation sets. */
function projectWords(): string[] {
  const files = ['knowledge-base', 'test/fixtures/eval'].flatMap((dir) =>
    readdirSync(projectPath(dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(md|jsonl)$/.test(f))
      .map((f) => join(projectPath(dir), f)),
  );
  const words = new Set<string>();
  for (const file of files)
    for (const w of readFileSync(file, 'utf8')
      .toLowerCase()
      .match(/[a-z]+/g) ?? [])
      words.add(w);
  return [...words];
}

describe('the Porter stemmer', () => {
  it('stems exactly as the library the knowledge base was indexed with, on real words and their slips', () => {
    const words = projectWords();
    expect(words.length).toBeGreaterThan(1000);
    const slips = words.filter((_, i) => i % 5 === 0).flatMap(oneEditAway);
    // Every step's suffixes on real stems, so each rule is taken many times.
    const suffixes = [
      'ational',
      'tional',
      'ization',
      'iveness',
      'fulness',
      'ousness',
      'aliti',
      'biliti',
      'logi',
      'icate',
      'alize',
      'ical',
      'ness',
      'ement',
      'ance',
      'ible',
      'sion',
      'tion',
      'ies',
      'sses',
      'eed',
      'ing',
      'ed',
      'ly',
      'll',
      'e',
      'y',
    ];
    const derived = words.filter((_, i) => i % 3 === 0).flatMap((w) => suffixes.map((s) => w + s));
    const tricky = [
      'yesterday',
      'yearly',
      'adoption',
      'conditional',
      'generalization',
      'hopping',
      'hoping',
      'agreed',
      'feed',
      'falling',
      'filing',
      'skies',
      'caresses',
      'ponies',
      'happy',
      'sky',
      'y',
      'ya',
      'yyy',
      'controll',
      'roll',
    ];
    const differ = [...words, ...slips, ...derived, ...tricky].filter((w) => porterStem(w) !== oramaStemmer(w));
    expect(differ).toEqual([]);
  });

  it('brings inflections to one stem', () => {
    expect(porterStem('refunds')).toBe(porterStem('refunded'));
    expect(porterStem('charging')).toBe('charg');
    expect(porterStem('delivery')).toBe('deliveri');
  });
});
