import { describe, expect, it } from 'vitest';
import { withoutClitics } from './clitics.js';

describe('Arabic clitics the light stemmer keeps', () => {
  it('cuts one leading preposition or conjunction and one trailing pronoun, leaving three letters', () => {
    expect(withoutClitics('ببطاقتي')).toBe('بطاقتي');
    expect(withoutClitics('لشحنتي')).toBe('شحنتي');
    expect(withoutClitics('وبحسابي')).toBe('حسابي');
    expect(withoutClitics('بحكيلي')).toBe('حكي');
    expect(withoutClitics('يساعدني')).toBe('يساعد');
  });

  it('offers a cut for a word that only begins like a clitic: the caller decides by the knowledge base', () => {
    expect(withoutClitics('بطاقه')).toBe('طاقه');
  });

  it('leaves short words, Latin words and words without clitics alone', () => {
    expect(withoutClitics('بنك')).toBeUndefined();
    expect(withoutClitics('card')).toBeUndefined();
    expect(withoutClitics('حساب')).toBeUndefined();
  });
});
