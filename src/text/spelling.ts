const LATIN = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Every spelling one typing slip away from a lower-case Latin word (a letter left out, doubled
 * or wrong, two letters swapped: Norvig's edits), for a word of at least five letters; shorter
 * words have too many neighbours to guess from. The caller keeps one only when the knowledge
 * base knows exactly one of them (see retrieve.ts): "refnud" → refund. Not Arabic: one letter
 * from a known Arabic word is as often another word of the same root, and out-of-scope Arabic
 * questions were answered more (measured: docs/quality.md).
 */
export function oneEditAway(word: string): string[] {
  if (word.length < 5 || !/^[a-z]+$/.test(word)) return [];
  const alphabet = LATIN;
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    if (i < word.length) out.add(head + word.slice(i + 1));
    if (i < word.length - 1) out.add(head + word[i + 1] + word[i] + word.slice(i + 2));
    for (const letter of alphabet) {
      if (i < word.length) out.add(head + letter + word.slice(i + 1));
      out.add(head + letter + word.slice(i));
    }
  }
  out.delete(word);
  return [...out];
}
