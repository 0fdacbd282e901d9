import { describe, expect, it } from 'vitest';
import { describeHttp, redactLine } from './redact';

describe('redactLine', () => {
  it('hides tickets, hashes and cookies, keeps everything else', () => {
    expect(redactLine('out', 'USR 4 TWN S t=abc&p=def')).toBe('USR 4 TWN S [redacted]');
    expect(redactLine('out', 'USR 4 MD5 S 9e584b710454fb6148fe0cbf92127f70')).toBe('USR 4 MD5 S [redacted]');
    expect(redactLine('in', 'XFR 7 SB 127.0.0.1:1864 CKI 68c6dbc2e3c9ba098ae7')).toBe('XFR 7 SB 127.0.0.1:1864 CKI [redacted]');
    expect(redactLine('in', 'RNG 1 127.0.0.1:1864 CKI secret bob@example.com Bob')).toBe('RNG 1 127.0.0.1:1864 CKI [redacted] bob@example.com Bob');
    expect(redactLine('out', 'ANS 1 alice@example.com cookie 123')).toBe('ANS 1 alice@example.com [redacted] 123');
    expect(redactLine('in', 'USR 3 TWN S ct=1,rver=1')).toBe('USR 3 TWN S ct=1,rver=1');
    expect(redactLine('out', 'USR 3 TWN I alice@example.com')).toBe('USR 3 TWN I alice@example.com');
    expect(redactLine('in', 'NLN NLN bob@example.com Bob 0')).toBe('NLN NLN bob@example.com Bob 0');
  });
  it('describes HTTP requests without query or credentials', () => {
    expect(describeHttp('GET', 'https://u:p@login.example/login?pwd=x')).toBe('GET https://login.example/login');
  });
});
