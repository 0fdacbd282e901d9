import { describe, expect, it } from 'vitest';
import { checkAnswer, msnp11Answer, PRODUCTS } from './challenge';

// msnp9-12.md's worked example and test vectors (the first three: MSNPiki/NINA's published WLM 8.1 values).
const VECTORS: [string, string, string][] = [
  ['11533365622852247127', 'PROD0113H11T8$X_', 'f086d1ded067186deca8dba2231602cf'],
  ['13038318816579321232', 'PROD0113H11T8$X_', '3b25f5aab8143dd9a47971541666ae0e'],
  ['13676118092332012962', 'PROD0113H11T8$X_', 'e9ccbb3e90fabb047bad055f1d025cde'],
  ['22210219642164014968', 'PROD0090YUAUV{2B', '85ecb0db8f32113df79ce0892b9a102c'],
  ['1663122458434562624782678054', 'PROD0101{0RM?UBW', '47c010619a78401d6036f418d089b34c'],
  ['1663122458434562624782678054', 'PROD0120PW!CCV9@', 'f379e91748f9722568da550eccefec47'],
];

describe('the server’s MSNP11 challenge check', () => {
  it.each(VECTORS)('%s with %s → %s', (chl, id, expected) => {
    expect(msnp11Answer(chl, id, PRODUCTS[id].key)).toBe(expected);
  });

  it('accepts a right answer only at a version its product allows, by that product’s algorithm', () => {
    expect(checkAnswer('22210219642164014968', 'PROD0090YUAUV{2B', '85ecb0db8f32113df79ce0892b9a102c', 11)).toBe(true);
    expect(checkAnswer('22210219642164014968', 'PROD0090YUAUV{2B', '85ecb0db8f32113df79ce0892b9a102c', 13)).toBe(false);
    // Later Escargot's masked XOR gives 85ecb05b… for this one: wrong.
    expect(checkAnswer('22210219642164014968', 'PROD0090YUAUV{2B', '85ecb05b8f32113df79ce0892b9a102c', 11)).toBe(false);
    expect(checkAnswer('22210219642164014968', 'msmsgs@msnmsgr.com', 'eedf627f65e76d031255a605f5841204', 8)).toBe(true);
    expect(checkAnswer('22210219642164014968', 'msmsgs@msnmsgr.com', 'eedf627f65e76d031255a605f5841204', 11)).toBe(false);
    expect(checkAnswer('22210219642164014968', 'nobody', 'eedf627f65e76d031255a605f5841204', 8)).toBe(false);
  });
});
