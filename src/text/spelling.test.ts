import { describe, expect, it } from 'vitest';
import { oneEditAway } from './spelling.js';

describe('spellings one typing slip away', () => {
  it('holds the word with two letters swapped, one left out, one wrong and one doubled', () => {
    const near = oneEditAway('refnud');
    expect(near).toContain('refund');
    expect(oneEditAway('warrenty')).toContain('warranty');
    expect(oneEditAway('pasword')).toContain('password');
    expect(oneEditAway('addresss')).toContain('address');
    expect(near).not.toContain('refnud');
  });

  it('offers nothing for short words, Arabic or words with digits', () => {
    expect(oneEditAway('card')).toEqual([]);
    expect(oneEditAway('بطاقتي')).toEqual([]);
    expect(oneEditAway('iphone15')).toEqual([]);
  });
});
