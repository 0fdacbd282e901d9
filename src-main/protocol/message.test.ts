import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, parseContentType } from './charset';
import { createFrameParser, type Frame } from './framing';
import { bgrToRgb, formatImFormat, isSafeFontName, parseImFormat, rgbToBgr } from './im-format';
import { buildDatacastMessage, buildNudgeMessage, buildTextMessage, buildTypingMessage, parseImMessage } from './im-message';
import { buildMime, getHeader, parseMime } from './mime';
import { ProtocolError } from './protocol-error';
import { captureStream } from './testing/capture-stream';
import { decodeXmlEntities, escapeXmlAttribute, escapeXmlText } from './xml-entities';

const enc = new TextEncoder();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function captureMessages(file: string): Frame[] {
  const frames: Frame[] = [];
  const parser = createFrameParser((f) => f.command === 'MSG' && frames.push(f));
  parser.push(captureStream(readFileSync(join(import.meta.dirname, 'testing', 'captures', file), 'utf8'), 'S'));
  parser.end();
  return frames;
}

describe('charset normalisation', () => {
  it.each([
    ['text/plain; charset=UTF-8', 'UTF-8'],
    ['text/plain; charset=utf-8', 'UTF-8'],
    ['text/plain; charset="UTF-8"', 'UTF-8'],
    ["text/plain;charset='utf8'", 'UTF-8'],
    ['TEXT/PLAIN; CHARSET=Utf-8', 'UTF-8'],
  ])('%s → UTF-8', (ct, charset) => {
    expect(decodeBody(enc.encode('ça ☃ 😀'), ct)).toEqual({ text: 'ça ☃ 😀', charset, declaredCharset: expect.any(String), unknownCharset: false, malformed: false });
  });

  it('no charset → ISO-8859-1', () => {
    expect(decodeBody(Uint8Array.of(0x4f, 0x6c, 0xe1), 'text/plain')).toMatchObject({ text: 'Olá', charset: 'ISO-8859-1', unknownCharset: false });
    expect(decodeBody(Uint8Array.of(0xe9), undefined).text).toBe('é');
  });

  it.each([
    ['KOI8-R', 'Привет'],
    ['windows-1251', 'Привет'],
    ['Shift_JIS', 'こんにちは'],
    ['GB2312', '你好'],
    ['big5', '你好'],
    ['ISO-8859-2', 'Łódź'],
  ])('decodes %s with iconv-lite', (charset, sample) => {
    const bytes = Uint8Array.from(iconv.encode(sample, charset));
    expect(decodeBody(bytes, `text/plain; charset=${charset}`)).toMatchObject({ text: sample, unknownCharset: false, malformed: false });
  });

  it('an unknown charset → ISO-8859-1, flagged', () => {
    expect(decodeBody(Uint8Array.of(0x41, 0xe9), 'text/plain; charset=x-klingon')).toEqual({
      text: 'Aé',
      charset: 'ISO-8859-1',
      declaredCharset: 'x-klingon',
      unknownCharset: true,
      malformed: false,
    });
  });

  it('transfer encodings are not charsets', () => {
    expect(decodeBody(Uint8Array.of(0x41, 0x42), 'text/plain; charset=hex')).toMatchObject({ text: 'AB', unknownCharset: true });
    expect(decodeBody(Uint8Array.of(0x41, 0x42), 'text/plain; charset=BASE64')).toMatchObject({ text: 'AB', unknownCharset: true });
  });

  it('bytes that are not valid in the charset show a visible marker and are flagged, never dropped', () => {
    const d = decodeBody(Uint8Array.of(0x61, 0xff, 0x62), 'text/plain; charset=UTF-8');
    expect(d).toMatchObject({ text: 'a\uFFFDb', malformed: true });
  });

  it('parseContentType', () => {
    const ct = parseContentType('Text/Plain; charset="UTF-8"; x=1;bad');
    expect(ct.mediaType).toBe('text/plain');
    expect([...ct.params]).toEqual([['charset', 'UTF-8'], ['x', '1']]);
    expect(parseContentType(undefined)).toEqual({ mediaType: '', params: new Map() });
  });

  it('property: decodeBody never throws, for any bytes and any charset label', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.oneof(fc.constantFrom('utf-8', 'koi8-r', 'shift_jis', 'gb2312', 'utf-16', 'utf-7', 'cesu8', ''), fc.string({ maxLength: 12 })), (b, cs) => {
        expect(typeof decodeBody(b, `text/plain; charset=${cs}`).text).toBe('string');
      }),
    );
  });
});

describe('MIME model', () => {
  it('splits headers from the body at the first blank line; the body may hold anything', () => {
    const m = parseMime(enc.encode('MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nline\r\n\r\nmore'));
    expect(m.headers).toEqual([{ name: 'MIME-Version', value: '1.0' }, { name: 'Content-Type', value: 'text/plain' }]);
    expect(text(m.body)).toBe('line\r\n\r\nmore');
    expect(getHeader(m, 'content-type')).toBe('text/plain');
    expect(parseMime(enc.encode('A: 1\nB:2\n\nbody')).headers).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(text(parseMime(enc.encode('A: 1\r\n')).body)).toBe('');
    expect(parseMime(enc.encode('\r\nbody')).headers).toEqual([]);
    expect(parseMime(new Uint8Array(0))).toEqual({ headers: [], body: new Uint8Array(0) });
  });

  it('builds exact bytes and refuses header injection', () => {
    expect(text(buildMime([{ name: 'MIME-Version', value: '1.0' }], 'x'))).toBe('MIME-Version: 1.0\r\n\r\nx');
    expect(() => buildMime([{ name: 'A', value: 'x\r\nB: y' }])).toThrow(ProtocolError);
    expect(() => buildMime([{ name: 'A:B', value: 'x' }])).toThrow(ProtocolError);
  });

  it('property: parseMime never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      parseMime(b);
    }));
  });
});

describe('X-MMS-IM-Format', () => {
  it('parses font, effects, BGR colour, charset, pitch/family and RTL', () => {
    expect(parseImFormat('FN=Segoe%20UI; EF=BIUS; CO=ff0000; CS=0; PF=22; RL=1')).toEqual({
      font: 'Segoe UI',
      bold: true,
      italic: true,
      underline: true,
      strikethrough: true,
      color: '#0000ff',
      charset: '0',
      pitchFamily: '22',
      rightToLeft: true,
    });
    expect(parseImFormat('FN=Arial; EF=; CO=0; CS=0; PF=22')).toMatchObject({ font: 'Arial', bold: false, color: '#000000' });
    expect(parseImFormat('CO=ff').color).toBe('#ff0000');
    expect(parseImFormat('CO=zz; junk; =; FN=')).toEqual({});
  });

  it('colours: BGR with leading zeros dropped', () => {
    expect(bgrToRgb('ff0000')).toBe('#0000ff');
    expect(bgrToRgb('ff00')).toBe('#00ff00');
    expect(bgrToRgb('1234567')).toBeUndefined();
    expect(rgbToBgr('#ff0000')).toBe('ff');
    expect(rgbToBgr('#000000')).toBe('0');
    expect(rgbToBgr('#0000FF')).toBe('ff0000');
    expect(rgbToBgr('red')).toBeUndefined();
  });

  it('formats, URL-encoding the font name, and round-trips', () => {
    expect(formatImFormat()).toBe('FN=Arial; EF=; CO=0; CS=0; PF=22');
    const f = { font: 'MS Sans Serif; 100%', bold: true, underline: true, color: '#123456', charset: '80', pitchFamily: '31', rightToLeft: true };
    const v = formatImFormat(f);
    expect(v).toBe('FN=MS%20Sans%20Serif%3B%20100%25; EF=BU; CO=563412; CS=80; PF=31; RL=1');
    // `;` and `%` are not font-name characters: what is sent is encoded faithfully, what is received is refused.
    const { font: _unsafe, ...rest } = f;
    expect(parseImFormat(v)).toEqual({ ...rest, italic: false, strikethrough: false });
    const safe = { ...f, font: 'MS ゴシック' };
    expect(parseImFormat(formatImFormat(safe))).toEqual({ ...safe, italic: false, strikethrough: false });
  });

  it('hostile formatting is left out, never passed on', () => {
    expect(parseImFormat('FN=%3Cscript%3Ealert(1)%3C%2Fscript%3E; CO=url(javascript:x)')).toEqual({});
    expect(parseImFormat('FN=<script>; EF=B')).toEqual({ bold: true, italic: false, underline: false, strikethrough: false });
    expect(parseImFormat(`FN=${'A'.repeat(10_240)}; CO=ff`)).toEqual({ color: '#ff0000' });
    expect(parseImFormat(`FN=${'%41'.repeat(32)}`)).toEqual({});
    expect(parseImFormat(`FN=${'%41'.repeat(31)}`)).toEqual({ font: 'A'.repeat(31) });
    expect(parseImFormat('FN=Arial%22%3B%20color%3Ared; CS=1x2; PF=x22')).toEqual({});
    expect(parseImFormat('FN=Times%0ANew; CS=zz; PF=222')).toEqual({});
    expect(parseImFormat('FN=%20%20Segoe%20UI%20; CO=#fff')).toEqual({ font: 'Segoe UI' });
    expect(isSafeFontName('Gill Sans MT Ext Condensed Bold')).toBe(true);
    expect(isSafeFontName('微软雅黑')).toBe(true);
    expect(isSafeFontName("Comic Sans', x")).toBe(false);
    expect(isSafeFontName('')).toBe(false);
  });
});

describe('IM messages', () => {
  it('reads the captured messages: UTF-8 with format, and ISO-8859-1 relayed byte for byte', () => {
    const [formatted, latin] = captureMessages('09-bob-sb.txt');
    expect(parseImMessage(formatted.payload!)).toEqual({
      type: 'text',
      text: 'Hello Bob!\nSecond line.',
      format: { font: 'Segoe UI', bold: true, italic: false, underline: false, strikethrough: false, color: '#0000ff', charset: '0', pitchFamily: '22' },
      charset: 'UTF-8',
      unknownCharset: false,
      malformed: false,
    });
    expect(parseImMessage(latin.payload!)).toMatchObject({ type: 'text', text: 'Olá, ça va très bien', charset: 'ISO-8859-1', format: undefined });
  });

  it('reads typing, the profile and the mail-data notification from the captures', () => {
    const [typing] = captureMessages('10-alice-sb.txt');
    expect(parseImMessage(typing.payload!)).toEqual({ type: 'typing', user: 'bob@example.com' });
    const [profile, mail] = captureMessages('17-bob-ns-msnp15-sso.txt');
    const p = parseImMessage(profile.payload!);
    expect(p).toMatchObject({ type: 'profile', fields: { LoginTime: '1795506875.515037', ClientIP: '127.0.0.1', ClientPort: '59228', Kid: '0' } });
    const m = parseImMessage(mail.payload!);
    expect(m).toMatchObject({ type: 'mail', contentType: 'text/x-msmsgsinitialmdatanotification', fields: { 'Inbox-URL': '/cgi-bin/HoTMaiL' } });
  });

  it('reads an initial e-mail notification as plain data', () => {
    const payload = buildMime(
      [{ name: 'MIME-Version', value: '1.0' }, { name: 'Content-Type', value: 'text/x-msmsgsinitialemailnotification; charset=UTF-8' }],
      'Inbox-Unread: 3\r\nFolders-Unread: 0\r\nInbox-URL: /cgi-bin/HoTMaiL\r\n\r\n',
    );
    expect(parseImMessage(payload)).toEqual({
      type: 'mail',
      contentType: 'text/x-msmsgsinitialemailnotification',
      fields: { 'Inbox-Unread': '3', 'Folders-Unread': '0', 'Inbox-URL': '/cgi-bin/HoTMaiL' },
    });
  });

  it('builds text exactly like the captured client (UTF-8, charset=UTF-8, CRLF newlines)', () => {
    const bytes = buildTextMessage('Hi Alice — ça va? ☃ 你好', { font: 'Arial' });
    expect(text(bytes)).toBe('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\nHi Alice — ça va? ☃ 你好');
    expect(bytes.length).toBe(144); // the captured MSG 5 A 144
    expect(text(buildTextMessage('a\nb\r\nc'))).toMatch(/\r\n\r\na\r\nb\r\nc$/);
    expect(parseImMessage(buildTextMessage('a\nb 😀', { bold: true, color: '#ff0000' }))).toMatchObject({ type: 'text', text: 'a\nb 😀', format: { bold: true, color: '#ff0000' } });
  });

  it('builds typing (88 bytes like the capture), nudges and datacasts', () => {
    const typing = buildTypingMessage('bob@example.com');
    expect(text(typing)).toBe('MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: bob@example.com\r\n\r\n\r\n');
    expect(typing.length).toBe(88);
    expect(text(buildNudgeMessage())).toBe('MIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: 1\r\n\r\n');
    expect(parseImMessage(buildNudgeMessage())).toEqual({ type: 'datacast', id: 1 });
    expect(parseImMessage(buildDatacastMessage(2, '<msnobj/>'))).toEqual({ type: 'datacast', id: 2, data: '<msnobj/>' });
    expect(parseImMessage(enc.encode('Content-Type: text/x-msnmsgr-datacast\r\n\r\nID: x'))).toMatchObject({ type: 'datacast', id: Number.NaN });
    expect(() => buildDatacastMessage(1, 'a\r\nb')).toThrow(ProtocolError);
    expect(() => buildTypingMessage('a\r\nb')).toThrow(ProtocolError);
  });

  it('unknown content types are "other", with the MIME message intact', () => {
    const m = parseImMessage(enc.encode('MIME-Version: 1.0\r\nContent-Type: application/x-msnmsgrp2p\r\nP2P-Dest: a@b.c\r\n\r\n\u0000\u0001'));
    expect(m.type).toBe('other');
    if (m.type === 'other') {
      expect(m.contentType).toBe('application/x-msnmsgrp2p');
      expect(Array.from(m.message.body)).toEqual([0, 1]);
    }
  });

  it('property: parseImMessage never throws', () => {
    const head = fc.constantFrom('text/plain', 'text/plain; charset=koi8-r', 'text/x-msmsgscontrol', 'text/x-msnmsgr-datacast', 'text/x-msmsgsprofile', 'text/x-msmsgsinitialemailnotification', 'x/y');
    fc.assert(
      fc.property(head, fc.uint8Array({ maxLength: 80 }), (ct, body) => {
        const payload = new Uint8Array([...enc.encode(`Content-Type: ${ct}\r\n\r\n`), ...body]);
        parseImMessage(payload);
        parseImMessage(body);
      }),
    );
  });
});

describe('XML entities', () => {
  it('decodes named, decimal and hex references; leaves others as written', () => {
    expect(decodeXmlEntities('a &amp; b &lt;c&gt; &quot;&apos; &#38; &#x26; &#X41; &#128512;')).toBe('a & b <c> "\' & & A 😀');
    expect(decodeXmlEntities('&nbsp; &#0; &#xD800; &#x110000; & &amp')).toBe('&nbsp; &#0; &#xD800; &#x110000; & &amp');
    expect(decodeXmlEntities('plain')).toBe('plain');
  });
  it('escapes text and attributes and round-trips', () => {
    expect(escapeXmlText('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(escapeXmlAttribute(`"it's"`)).toBe('&quot;it&apos;s&quot;');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(decodeXmlEntities(escapeXmlAttribute(s))).toBe(s);
      expect(decodeXmlEntities(escapeXmlText(s))).toBe(s);
    }));
  });
});
