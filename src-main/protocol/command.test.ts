import { describe, expect, it } from 'vitest';
import { hasTrid, parseCommand } from './command';
import { CLIENT_COMMANDS, isServerCommand, SERVER_COMMANDS } from './command-names';
import { formatCommandLine, serializeCommand } from './serializer';
import { ProtocolError } from './protocol-error';
import { TrIdAllocator, MAX_TRID } from './trid-allocator';
import { describeErrorCode, errorCodeKind, ERROR_CODES } from './errors';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

// MSNP2–7 put the SYN's TrID on the list lines; MSNP8 on (and 9–12) do not.
const MSNP7 = { listLinesCarryTrid: true };
const MSNP8 = { listLinesCarryTrid: false };

describe('parseCommand', () => {
  it.each([
    ['VER 1 MSNP8', MSNP8, { command: 'VER', trid: 1, args: ['MSNP8'] }],
    ['USR 4 OK alice@example.com alice@example.com 1 0', MSNP8, { command: 'USR', trid: 4, args: ['OK', 'alice@example.com', 'alice@example.com', '1', '0'] }],
    ['CHL 0 22210219642164014968', MSNP8, { command: 'CHL', trid: 0, args: ['22210219642164014968'] }],
    ['ADD 0 RL 12 bob@example.com Bob', MSNP8, { command: 'ADD', trid: 0, args: ['RL', '12', 'bob@example.com', 'Bob'] }],
    ['ILN 9 NLN bob@example.com Bob 268435492', MSNP8, { command: 'ILN', trid: 9, args: ['NLN', 'bob@example.com', 'Bob', '268435492'] }],
    ['NLN NLN bob@example.com Bob 0', MSNP8, { command: 'NLN', args: ['NLN', 'bob@example.com', 'Bob', '0'] }],
    ['LSG 0 Other%20Contacts 0', MSNP8, { command: 'LSG', args: ['0', 'Other%20Contacts', '0'] }],
    ['LSG 5 1 1 1 0 Other%20Contacts 0', MSNP7, { command: 'LSG', trid: 5, args: ['1', '1', '1', '0', 'Other%20Contacts', '0'] }],
    ['LST 5 FL 1 1 1 bob@example.com bob@example.com 0', MSNP7, { command: 'LST', trid: 5, args: ['FL', '1', '1', '1', 'bob@example.com', 'bob@example.com', '0'] }],
    ['GTC A', MSNP8, { command: 'GTC', args: ['A'] }],
    ['BLP 12 5 AL', MSNP8, { command: 'BLP', trid: 12, args: ['5', 'AL'] }],
    ['QNG 60', MSNP8, { command: 'QNG', args: ['60'] }],
    ['OUT OTH', MSNP8, { command: 'OUT', args: ['OTH'] }],
    ['OUT', MSNP8, { command: 'OUT', args: [] }],
    ['RNG 123 127.0.0.1:1864 CKI c bob@example.com Bob', MSNP8, { command: 'RNG', args: ['123', '127.0.0.1:1864', 'CKI', 'c', 'bob@example.com', 'Bob'] }],
    ['911 4', MSNP8, { command: '911', trid: 4, errorCode: 911, args: [] }],
    ['500', MSNP8, { command: '500', trid: 0, errorCode: 500, args: [] }],
    ['217 12 extra', MSNP8, { command: '217', trid: 12, errorCode: 217, args: ['extra'] }],
    ['LST N=a@b.c F=A C=x 11 1 ', MSNP8, { command: 'LST', args: ['N=a@b.c', 'F=A', 'C=x', '11', '1'] }],
    ['JOI  bob@example.com   Bob', MSNP8, { command: 'JOI', args: ['bob@example.com', 'Bob'] }],
  ])('%s (%o)', (line, rules, expected) => {
    expect(parseCommand({ line }, rules)).toEqual({ line, ...expected });
  });

  it('keeps the payload', () => {
    const payload = new Uint8Array([1, 2]);
    expect(parseCommand({ line: 'MSG Hotmail Hotmail 2', payload }).payload).toBe(payload);
  });

  it('hasTrid needs a numeric field', () => {
    expect(hasTrid('USR', ['USR', 'x'], MSNP8)).toBe(false);
    expect(hasTrid('LST', ['LST', '5'], MSNP7)).toBe(true);
    expect(hasTrid('LST', ['LST', '5'], MSNP8)).toBe(false);
    expect(hasTrid('LST', ['LST', '5'])).toBe(false);
  });
});

describe('serializeCommand', () => {
  it('writes exact bytes, TrID and no-TrID forms', () => {
    expect(text(serializeCommand({ command: 'VER', trid: 1, args: ['MSNP8', 'CVR0'] }))).toBe('VER 1 MSNP8 CVR0\r\n');
    expect(text(serializeCommand({ command: 'PNG' }))).toBe('PNG\r\n');
    expect(text(serializeCommand({ command: 'OUT' }))).toBe('OUT\r\n');
    expect(text(serializeCommand({ command: 'CHG', trid: 0, args: ['NLN', '0'] }))).toBe('CHG 0 NLN 0\r\n');
  });

  it('appends the payload length in bytes, not characters', () => {
    const body = 'MIME-Version: 1.0\r\n\r\nça ☃ 😀';
    const bytes = serializeCommand({ command: 'MSG', trid: 5, args: ['A'], payload: body });
    expect(text(bytes)).toBe(`MSG 5 A ${new TextEncoder().encode(body).length}\r\n${body}`);
    expect(new TextEncoder().encode(body).length).toBe(body.length + 1 + 2 + 2);
    expect(formatCommandLine({ command: 'QRY', trid: 10, args: ['msmsgs@msnmsgr.com'], payload: 'eedf627f65e76d031255a605f5841204' })).toBe(
      'QRY 10 msmsgs@msnmsgr.com 32',
    );
    expect(text(serializeCommand({ command: 'QRY', trid: 10, args: ['msmsgs@msnmsgr.com'], payload: 'eedf627f65e76d031255a605f5841204' }))).toBe(
      'QRY 10 msmsgs@msnmsgr.com 32\r\needf627f65e76d031255a605f5841204',
    );
    expect(text(serializeCommand({ command: 'UUX', trid: 3, payload: new Uint8Array(0) }))).toBe('UUX 3 0\r\n');
  });

  it.each([
    [{ command: 'usr' as 'USR', trid: 1 }],
    [{ command: 'USR', trid: -1 }],
    [{ command: 'USR', trid: 1.5 }],
    [{ command: 'USR', trid: 1, args: ['a b'] }],
    [{ command: 'USR', trid: 1, args: ['a\r\nOUT'] }],
    [{ command: 'USR', trid: 1, args: [''] }],
  ] as const)('refuses %j with protocol.bad-argument', (cmd) => {
    expect(() => serializeCommand(cmd)).toThrow(ProtocolError);
    try {
      serializeCommand(cmd);
    } catch (e) {
      expect((e as ProtocolError).code).toBe('protocol.bad-argument');
      expect((e as ProtocolError).retryable).toBe(false);
    }
  });

  it('never quotes an argument (it may be a secret) in its error', () => {
    expect(() => serializeCommand({ command: 'USR', trid: 1, args: ['MD5', 'S', 'hunter2 x'] })).toThrow(/^(?!.*hunter2)/);
  });
});

describe('command names', () => {
  it('are 3 upper-case letters, unique, and every payload command is among them', () => {
    for (const list of [CLIENT_COMMANDS, SERVER_COMMANDS]) {
      expect(list.every((c) => /^[A-Z]{3}$/.test(c))).toBe(true);
      expect(new Set(list).size).toBe(list.length);
    }
    expect(['MSG', 'NOT', 'IPG', 'GCF', 'UBX'].every(isServerCommand)).toBe(true);
    expect(isServerCommand('911')).toBe(false);
    expect(isServerCommand('ZZZ')).toBe(false);
  });
});

describe('TrIdAllocator', () => {
  it('counts from 1 (or the start), never hands out 0, wraps after 2^32-1', () => {
    const t = new TrIdAllocator();
    expect(t.last).toBe(0);
    expect([t.next(), t.next(), t.next()]).toEqual([1, 2, 3]);
    expect(t.last).toBe(3);
    const w = new TrIdAllocator(MAX_TRID);
    expect([w.next(), w.next()]).toEqual([MAX_TRID, 1]);
    expect(() => new TrIdAllocator(0)).toThrow(RangeError);
  });
});

describe('error codes', () => {
  it('maps codes to meanings and kinds', () => {
    expect(describeErrorCode(911)).toBe('Authentication failed');
    expect(describeErrorCode(217)).toBe('The contact is not online');
    expect(describeErrorCode(999)).toBe('Unknown server error 999');
    expect(errorCodeKind(911)).toBe('wrong-credentials');
    expect(errorCodeKind(928)).toBe('wrong-credentials');
    expect(errorCodeKind(540)).toBe('challenge-failed');
    expect(errorCodeKind(600)).toBe('retry-later');
    expect(errorCodeKind(910)).toBe('retry-later');
    expect(errorCodeKind(913)).toBe('request-refused');
    expect(errorCodeKind(217)).toBe('request-refused');
    expect(Object.keys(ERROR_CODES).every((k) => /^\d{3}$/.test(k))).toBe(true);
  });
});
