import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeName, encodeName, percentDecodeBytes } from './url-codec';

describe('decodeName', () => {
  it.each([
    ['Other%20Contacts', 'Other Contacts'],
    // Escargot sends raw UTF-8 and a bare % (capture 04).
    ['Alice%20✿%20Ünïcødé%20100%', 'Alice ✿ Ünïcødé 100%'],
    ['Alice%20%E2%9C%BF%20%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20100%25', 'Alice ✿ Ünïcødé 100%'],
    ['%d7%86', '\u05c6'],
    ['a+b', 'a+b'],
    ['100%', '100%'],
    ['%', '%'],
    ['%2', '%2'],
    ['%zz%20', '%zz '],
    ['%%41', '%A'],
    ['😀%20x', '😀 x'],
    ['%F0%9F%98%80', '😀'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(decodeName(input)).toBe(expected);
  });

  it('falls back to ISO-8859-1 when the bytes are not UTF-8, keeping every byte', () => {
    expect(decodeName('Ol%E1')).toBe('Olá');
    expect(decodeName('%FF%FE%00')).toBe('\u00ff\u00fe\u0000');
    // Raw UTF-8 next to an invalid escape: the whole byte string is read as Latin-1, nothing is dropped.
    expect(decodeName('é%E1')).toBe('\u00c3\u00a9\u00e1');
  });

  it('property: never throws, and the Latin-1 fallback keeps one character per byte', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 10 }), (s, extra) => {
        const text = s + extra.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
        const out = decodeName(text);
        expect(typeof out).toBe('string');
        const bytes = percentDecodeBytes(text);
        if (out !== text) expect(out.length === bytes.length || new TextEncoder().encode(out).length === bytes.length).toBe(true);
      }),
    );
  });
});

describe('encodeName', () => {
  it('escapes bytes <= 0x20, % and non-ASCII byte by byte, upper-case', () => {
    expect(encodeName('Alice & Bob 100%')).toBe('Alice%20&%20Bob%20100%25');
    expect(encodeName('Alice ✿ Ünïcødé 100%')).toBe('Alice%20%E2%9C%BF%20%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20100%25');
    expect(encodeName('a\r\nb\tc\u0000')).toBe('a%0D%0Ab%09c%00');
    expect(encodeName('plain@example.com')).toBe('plain@example.com');
    expect(encodeName('😀')).toBe('%F0%9F%98%80');
  });

  it('property: decodeName(encodeName(s)) === s for any Unicode text, astral characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const encoded = encodeName(s);
        expect(encoded).toMatch(/^[\x21-\x7e]*$/);
        expect(decodeName(encoded)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: text that was never encoded decodes to itself when it holds no %', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }).filter((s) => !s.includes('%')), (s) => {
      expect(decodeName(s)).toBe(s);
    }));
  });
});
