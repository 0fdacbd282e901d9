import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { EMOTICONS, findEmoticons } from './emoticons';
import { createFrameParser, type Frame } from './framing';
import { buildNudgeMessage, buildTextMessage, buildTypingMessage, buildDatacastMessage } from './im-message';
import { parseBye, parseJoin, parseMessageSender, parseRing, parseRoster, parseSwitchboardGrant } from './sb-commands';
import { readSwitchboardPayload, splitForSwitchboard, SWITCHBOARD_MAX_PAYLOAD_BYTES } from './sb-message';
import { parseCommand } from './command';
import { ProtocolError } from './protocol-error';
import { captureStream } from './testing/capture-stream';

const enc = new TextEncoder();
const payload = (head: string, body: Uint8Array | string = '') =>
  new Uint8Array([...enc.encode(head), ...(typeof body === 'string' ? enc.encode(body) : body)]);

function captureFrames(file: string, dir: 'C' | 'S'): Frame[] {
  const frames: Frame[] = [];
  const parser = createFrameParser((f) => frames.push(f), { payloadCommands: ['MSG'] });
  parser.push(captureStream(readFileSync(join(import.meta.dirname, 'testing', 'captures', file), 'utf8'), dir));
  parser.end();
  return frames;
}

describe('emoticons', () => {
  it('finds the classic shortcuts beside the unchanged text, longest first, never overlapping', () => {
    const text = 'hi :) and :-D (Y) <:o) :o 8-) 8-| (8) (pi)(p) :\'( ({)(}) (bah)';
    const tokens = findEmoticons(text);
    expect(tokens.map((t) => [t.code, t.name])).toEqual([
      [':)', 'smile'],
      [':-D', 'open-mouthed'],
      ['(Y)', 'thumbs-up'],
      ['<:o)', 'party'],
      [':o', 'surprised'],
      ['8-)', 'eye-rolling'],
      ['8-|', 'nerd'],
      ['(8)', 'note'],
      ['(pi)', 'pizza'],
      ['(p)', 'camera'],
      [":'(", 'crying'],
      ['({)', 'left-hug'],
      ['(})', 'right-hug'],
      ['(bah)', 'black-sheep'],
    ]);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.code);
  });

  it('covers every shortcut the issue names, in the cases the official list gives', () => {
    const named = [':)', ':D', ';)', ':(', ':P', ':O', '(Y)', '(N)', '(L)', '(U)', '(K)', '(H)', ':@', ':S', ':$', ':|', '(A)', '(6)', '(B)', '(D)', '(C)', '(Z)', '(X)', '(F)', '(W)', '(*)', '(8)', '(E)', '(^)', '(P)', '(G)', '(@)', '(&)', '(I)', '(S)', '(M)', '(T)', '({)', '(})', '(~)'];
    for (const code of named) expect(findEmoticons(code)).toEqual([{ start: 0, end: code.length, code, name: expect.any(String) }]);
    // Lower-case forms exist only where the list has them: (s) is not the sleeping moon.
    expect(findEmoticons('(y)(s)')).toEqual([{ start: 0, end: 3, code: '(y)', name: 'thumbs-up' }]);
    const all = Object.values(EMOTICONS).flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it('matches inside words like the official client ("401(k)"), and emoji text is left alone', () => {
    expect(findEmoticons('my 401(k) plan')).toEqual([{ start: 6, end: 9, code: '(k)', name: 'red-lips' }]);
    expect(findEmoticons('😀 http://x.example/ a:b')).toEqual([]);
  });
});

describe('switchboard command lines', () => {
  it('reads the XFR SB grant and the RNG invitation, with or without a port, ignoring MSNP13+ extras', () => {
    expect(parseSwitchboardGrant(['SB', '127.0.0.1:1864', 'CKI', '17262740.1050826919.32308'])).toEqual({ host: '127.0.0.1', port: 1864, cookie: '17262740.1050826919.32308' });
    expect(parseSwitchboardGrant(['SB', 'sb.example', 'CKI', 'c', 'U', 'messenger.msn.com', '1'])).toEqual({ host: 'sb.example', port: 1863, cookie: 'c' });
    expect(parseSwitchboardGrant(['NS', '1.2.3.4:1863', '0'])).toBeUndefined();
    expect(parseSwitchboardGrant(['SB', '1.2.3.4:99999', 'CKI', 'c'])).toBeUndefined();
    expect(parseSwitchboardGrant(['SB', '1.2.3.4:1864', 'CKI'])).toBeUndefined();
    expect(parseRing(['11752013', '207.46.108.38:1863', 'CKI', '849102291.520491113', 'bob@example.com', 'Bob'])).toEqual({
      sessionId: '11752013',
      host: '207.46.108.38',
      port: 1863,
      cookie: '849102291.520491113',
      callerEmail: 'bob@example.com',
      callerNickname: 'Bob',
    });
    expect(parseRing(['1', 'h:1', 'CKI', 'c', 'not-an-email', 'x'])).toBeUndefined();
    expect(parseRing(['1', 'h:1', 'XYZ', 'c', 'a@b.c', 'x'])).toBeUndefined();
  });

  it('reads the captured switchboard lines (09 and 10)', () => {
    const bob = captureFrames('09-bob-sb.txt', 'S').map((f) => parseCommand(f));
    expect(bob.map((c) => c.command)).toEqual(['USR', '205', 'CAL', 'JOI', 'ACK', 'MSG', 'MSG', 'OUT']);
    expect(parseJoin(bob[3].args)).toEqual({ email: 'alice@example.com', nickname: 'alice@example.com' });
    expect(parseMessageSender(bob[5].args)).toEqual({ email: 'alice@example.com', nickname: 'alice@example.com' });
    expect(bob[4]).toMatchObject({ command: 'ACK', trid: 5 });
    const alice = captureFrames('10-alice-sb.txt', 'S').map((f) => parseCommand(f));
    expect(alice[1]).toMatchObject({ command: 'IRO', trid: 1 });
    expect(parseRoster(alice[1].args)).toEqual({ index: 1, total: 1, member: { email: 'bob@example.com', nickname: 'bob@example.com' } });
    expect(parseBye(alice.find((c) => c.command === 'BYE')!.args)).toEqual({ email: 'bob@example.com', dropped: false });
    expect(parseBye(['carol@example.com', '1'])).toEqual({ email: 'carol@example.com', dropped: true });
    expect(parseJoin(['bob@example.com', 'Bob', '1073741824'])).toEqual({ email: 'bob@example.com', nickname: 'Bob' });
    expect(parseRoster(['x', '2', 'a@b.c', 'n'])).toBeUndefined();
    expect(parseMessageSender(['a@b.c', 'A'])).toBeUndefined();
    expect(parseBye([])).toBeUndefined();
  });
});

describe('reading switchboard payloads', () => {
  it('text: charset rules, validated format, emoticons beside the unchanged text', () => {
    const [formatted, latin] = captureFrames('09-bob-sb.txt', 'S').filter((f) => f.command === 'MSG').map((f) => f.payload!);
    const m = readSwitchboardPayload(formatted);
    expect(readSwitchboardPayload(latin)).toMatchObject({ kind: 'text', text: 'Olá, ça va très bien', charset: 'ISO-8859-1', emoticons: [] });
    expect(m).toMatchObject({ kind: 'text', text: 'Hello Bob!\nSecond line.', charset: 'UTF-8', format: { font: 'Segoe UI', bold: true, color: '#0000ff' } });
    const s = readSwitchboardPayload(buildTextMessage('ok :) (Y)'));
    expect(s).toMatchObject({ kind: 'text', text: 'ok :) (Y)', emoticons: [{ start: 3, end: 5, code: ':)' }, { start: 6, end: 9, code: '(Y)' }] });
  });

  it('ISO-8859-1 without charset, KOI8-R, invalid UTF-8 and an unknown charset: decoded or flagged, never dropped', () => {
    const head = (ct: string) => `MIME-Version: 1.0\r\nContent-Type: ${ct}\r\n\r\n`;
    expect(readSwitchboardPayload(payload(head('text/plain'), Uint8Array.from([0x4f, 0x6c, 0xe1])))).toMatchObject({ text: 'Olá', charset: 'ISO-8859-1', malformed: false });
    expect(readSwitchboardPayload(payload(head('text/plain; charset=KOI8-R'), Uint8Array.from(iconv.encode('Привет', 'koi8-r'))))).toMatchObject({ text: 'Привет', charset: 'KOI8-R' });
    expect(readSwitchboardPayload(payload(head('text/plain; charset=UTF-8'), Uint8Array.from([0x61, 0xc3, 0x28, 0x62])))).toMatchObject({ text: 'a\uFFFD(b', malformed: true });
    expect(readSwitchboardPayload(payload(head('text/plain; charset=x-martian'), Uint8Array.from([0x61, 0xe9])))).toMatchObject({ text: 'aé', unknownCharset: true });
  });

  it('hostile formatting is sanitised', () => {
    const m = readSwitchboardPayload(payload(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=<script>; EF=B; CO=url(x); RL=1\r\n\r\n`, 'hi'));
    expect(m).toMatchObject({ kind: 'text', format: { bold: true, rightToLeft: true } });
    expect(m.kind === 'text' && m.format).not.toHaveProperty('font');
    expect(m.kind === 'text' && m.format).not.toHaveProperty('color');
  });

  it('typing, nudges, and everything else as unsupported content or control traffic', () => {
    expect(readSwitchboardPayload(buildTypingMessage('bob@example.com'))).toEqual({ kind: 'typing', user: 'bob@example.com' });
    expect(readSwitchboardPayload(buildNudgeMessage())).toEqual({ kind: 'nudge' });
    expect(readSwitchboardPayload(buildDatacastMessage(2, '<msnobj/>'))).toEqual({ kind: 'unsupported', contentType: 'text/x-msnmsgr-datacast' });
    for (const ct of ['application/x-msnmsgrp2p', 'text/x-msmsgsinvite; charset=UTF-8', 'text/x-mms-emoticon', 'image/gif']) {
      expect(readSwitchboardPayload(payload(`Content-Type: ${ct}\r\n\r\n`, '\u0000\u0001'))).toEqual({ kind: 'unsupported', contentType: ct.split(';')[0] });
    }
    expect(readSwitchboardPayload(payload('no headers at all'))).toEqual({ kind: 'unsupported', contentType: '' });
    expect(readSwitchboardPayload(payload('Content-Type: text/x-clientcaps\r\n\r\nClient-Name: Gaim'))).toEqual({ kind: 'control', contentType: 'text/x-clientcaps' });
  });
});

describe('splitting text over the switchboard limit', () => {
  const fits = (parts: string[], format?: Parameters<typeof splitForSwitchboard>[1], max = SWITCHBOARD_MAX_PAYLOAD_BYTES) =>
    parts.every((p) => buildTextMessage(p, format).length <= max);

  it('leaves text that fits alone', () => {
    expect(splitForSwitchboard('hello', undefined)).toEqual(['hello']);
    expect(splitForSwitchboard('', undefined)).toEqual([]);
  });

  it('never cuts an emoji, a surrogate pair or an emoji sequence at the boundary', () => {
    const head = buildTextMessage('').length;
    const budget = SWITCHBOARD_MAX_PAYLOAD_BYTES - head;
    // Put a 4-byte emoji across the boundary: budget − 2 ASCII bytes, then 😀 (4 bytes), then more.
    const text = `${'a'.repeat(budget - 2)}😀bcd`;
    const parts = splitForSwitchboard(text, undefined);
    expect(parts).toEqual(['a'.repeat(budget - 2), '😀bcd']);
    // A family emoji (ZWJ sequence, 18 bytes) straddling the boundary moves whole.
    const family = '👨‍👩‍👧';
    const t2 = `${'b'.repeat(budget - 5)}${family}z`;
    expect(splitForSwitchboard(t2, undefined)).toEqual(['b'.repeat(budget - 5), `${family}z`]);
    // CRLF counts two bytes and is never split.
    const t3 = `${'c'.repeat(budget - 1)}\nd`;
    expect(splitForSwitchboard(t3, undefined)).toEqual(['c'.repeat(budget - 1), '\nd']);
  });

  it('prefers to end a part after a space in its second half', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const parts = splitForSwitchboard(words, { font: 'Segoe UI', bold: true });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(words);
    for (const p of parts.slice(0, -1)) expect(p.endsWith(' ')).toBe(true);
    expect(fits(parts, { font: 'Segoe UI', bold: true })).toBe(true);
  });

  it('refuses a format that leaves no room', () => {
    expect(() => splitForSwitchboard('x', undefined, 100)).toThrow(ProtocolError);
  });

  it('property: parts fit, join back to the text, and each is valid UTF-16 (no lone surrogate)', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', ' ', '\n', '\r\n', 'é', '你', '😀', '👍🏽', '🇫🇷', 'e\u0301', '👨‍👩‍👧'),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 700 }), fc.integer({ min: 200, max: 1664 }), (units, max) => {
        const text = units.join('');
        const parts = splitForSwitchboard(text, undefined, max);
        expect(parts.join('')).toBe(text);
        expect(fits(parts, undefined, max)).toBe(true);
        for (const p of parts) {
          expect(p.length).toBeGreaterThan(0);
          expect(p).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        }
      }),
      { numRuns: 200 },
    );
  });
});
