import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeParam, encodeParam } from './param-codec';

describe('encodeParam (Escargot style: only spaces and control bytes escaped)', () => {
  it('writes raw UTF-8 and a bare % as the real server does (capture 04)', () => {
    expect(encodeParam('Alice ✿ Ünïcødé 100%')).toBe('Alice%20✿%20Ünïcødé%20100%');
  });
  it('escapes CR, LF and other controls so framing cannot break', () => {
    expect(encodeParam('a\r\nb\tc\x7f')).toBe('a%0D%0Ab%09c%7F');
  });
});

describe('decodeParam', () => {
  it('decodes %XX byte-wise then UTF-8', () => {
    expect(decodeParam('Alice%20%E2%9C%BF%20%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20100%25')).toBe('Alice ✿ Ünïcødé 100%');
  });
  it('keeps a lone or malformed % literally and does not treat + as space', () => {
    expect(decodeParam('100%')).toBe('100%');
    expect(decodeParam('%zz%2')).toBe('%zz%2');
    expect(decodeParam('a+b')).toBe('a+b');
  });
  it('accepts raw UTF-8 mixed with escapes', () => {
    expect(decodeParam('✿%20ok')).toBe('✿ ok');
  });
  it('round-trips any text without a % followed by two hex digits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        fc.pre(!/%[0-9a-fA-F]{2}/.test(s));
        const wire = encodeParam(s);
        expect(wire).not.toMatch(/[ \r\n]/);
        expect(decodeParam(wire)).toBe(s);
      }),
    );
  });
});
