import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIENT_PAYLOAD_COMMANDS, createFrameParser, type Frame } from './framing';
import { ProtocolError } from './protocol-error';
import { captureConnections, captureStream } from './testing/capture-stream';
import { collectFrames, splitAt } from './testing/frame-snapshot';

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function parseAll(input: Uint8Array | Uint8Array[], options?: Parameters<typeof createFrameParser>[1]): Frame[] {
  const frames: Frame[] = [];
  const parser = createFrameParser((f) => frames.push(f), options);
  for (const c of Array.isArray(input) ? input : [input]) parser.push(c);
  parser.end();
  return frames;
}

function thrown(fn: () => void): ProtocolError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

describe('frame parser: lines and payloads', () => {
  it('splits lines, strips CRLF and reads payload commands by byte length', () => {
    const body = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nça va ☃';
    const stream = bytes(`VER 1 MSNP8\r\nMSG bob@example.com Bob ${bytes(body).length}\r\n${body}CHL 0 123\r\n`);
    const frames = parseAll(stream);
    expect(frames.map((f) => f.line)).toEqual(['VER 1 MSNP8', `MSG bob@example.com Bob ${bytes(body).length}`, 'CHL 0 123']);
    expect(frames.map((f) => f.command)).toEqual(['VER', 'MSG', 'CHL']);
    expect(frames[0].payload).toBeUndefined();
    expect(new TextDecoder().decode(frames[1].payload)).toBe(body);
    expect(frames[2].fields).toEqual(['CHL', '0', '123']);
    expect(frames.map((f) => f.offset)).toEqual([0, 13, 13 + `MSG bob@example.com Bob ${bytes(body).length}\r\n`.length + bytes(body).length]);
  });

  it('never reads trailing numbers of non-payload commands as lengths', () => {
    const lines = [
      'NLN NLN bob@example.com Bob 268435492',
      'ILN 9 NLN bob@example.com Bob 268435492',
      'CHG 6 NLN 268435488',
      'LST bob@example.com Bob 11 0',
      'LST 5 FL 1 1 1 bob@example.com bob@example.com 0',
      'QNG 60',
      'QRY 10',
      '911 4',
      'SYN 5 1 1 1',
      'GCF',
    ];
    // GCF without a length would be an error, so it is not in this set; the rest must all be plain lines.
    const frames = parseAll(bytes(lines.slice(0, -1).map((l) => `${l}\r\n`).join('')));
    expect(frames.map((f) => f.line)).toEqual(lines.slice(0, -1));
    expect(frames.every((f) => f.payload === undefined)).toBe(true);
  });

  it('gives every default payload command (MSG, NOT, IPG, GCF, UBX) its payload, including empty ones', () => {
    const stream = bytes('NOT 5\r\n<x/>\nIPG 0\r\nGCF 7 Shields.xml 3\r\nabcUBX bob@example.com 2\r\n{}MSG Hotmail Hotmail 1\r\nZ');
    const frames = parseAll(stream);
    expect(frames.map((f) => [f.command, f.payload && new TextDecoder().decode(f.payload)])).toEqual([
      ['NOT', '<x/>\n'],
      ['IPG', ''],
      ['GCF', 'abc'],
      ['UBX', '{}'],
      ['MSG', 'Z'],
    ]);
  });

  it('hands out zero-copy views for frames inside one chunk and copies when they span chunks', () => {
    const stream = bytes('MSG a b 4\r\nwxyzOUT\r\n');
    const [msg] = parseAll(stream);
    expect(msg.payload!.buffer).toBe(stream.buffer);
    expect(msg.rawLine.buffer).toBe(stream.buffer);
    const split = parseAll([stream.subarray(0, 12), stream.subarray(12)]);
    expect(split[0].payload!.buffer).not.toBe(stream.buffer);
    expect(hex(split[0].payload!)).toBe(hex(bytes('wxyz')));
  });

  it('accepts a bare LF line end and keeps a CR that is not at the end', () => {
    expect(parseAll(bytes('PNG\nQNG 60\r\nA\rB\r\n')).map((f) => f.line)).toEqual(['PNG', 'QNG 60', 'A\rB']);
  });

  it('delivers an empty line as a frame with an empty command', () => {
    expect(parseAll(bytes('\r\nOUT\r\n')).map((f) => [f.line, f.command])).toEqual([['', ''], ['OUT', 'OUT']]);
  });

  it('keeps the raw bytes of a non-UTF-8 line and re-reads it as ISO-8859-1', () => {
    const raw = Uint8Array.from([...bytes('REA 7 2 a@b.c Ol'), 0xe1]);
    const stream = concat(raw, bytes('\r\n'), bytes('NLN NLN a@b.c Al\u00e9 0\r\n'));
    for (const chunks of [[stream], [stream.subarray(0, 5), stream.subarray(5, 17), stream.subarray(17)]]) {
      const frames = parseAll(chunks);
      expect(frames[0].line).toBe('REA 7 2 a@b.c Ol\uFFFD');
      expect(hex(frames[0].rawLine)).toBe(hex(raw));
      expect(frames[0].lineWithFallback()).toBe('REA 7 2 a@b.c Ol\u00e1');
      expect(frames[1].lineWithFallback()).toBe('NLN NLN a@b.c Al\u00e9 0');
      expect(hex(frames[1].rawLine)).toBe(hex(bytes('NLN NLN a@b.c Al\u00e9 0')));
    }
  });

  it('keeps a genuine U+FFFD as UTF-8', () => {
    const [f] = parseAll(bytes('NLN NLN a@b.c x\uFFFDy 0\r\n'));
    expect(f.lineWithFallback()).toBe('NLN NLN a@b.c x\uFFFDy 0');
  });

  it('switches the payload set after VER (setPayloadCommands)', () => {
    const frames: Frame[] = [];
    const parser = createFrameParser((f) => {
      frames.push(f);
      if (f.command === 'VER') parser.setPayloadCommands(['MSG']);
    });
    parser.push(bytes('VER 1 MSNP7\r\nNOT 5\r\nMSG a b 2\r\nhi'));
    parser.end();
    expect(frames.map((f) => f.line)).toEqual(['VER 1 MSNP7', 'NOT 5', 'MSG a b 2']);
    expect(frames[1].payload).toBeUndefined();
  });

  it('reads the client direction with the client payload set (QRY, UUX, MSG)', () => {
    const frames = parseAll(bytes('QRY 10 msmsgs@msnmsgr.com 32\r\needf627f65e76d031255a605f5841204UUX 11 3\r\n<a>PNG\r\n'), {
      payloadCommands: CLIENT_PAYLOAD_COMMANDS,
    });
    expect(frames.map((f) => [f.line, f.payload && new TextDecoder().decode(f.payload)])).toEqual([
      ['QRY 10 msmsgs@msnmsgr.com 32', 'eedf627f65e76d031255a605f5841204'],
      ['UUX 11 3', '<a>'],
      ['PNG', undefined],
    ]);
  });

  it('accepts payload command names of any length', () => {
    const frames = parseAll(bytes('LONGCMD x 2\r\nabAB 1\r\nzABC 1\r\nMSG 0\r\n\u00e9\u00e9 1\r\nq'), { payloadCommands: ['LONGCMD', 'AB', '\u00e9\u00e9'] });
    expect(frames.map((f) => [f.command, f.payload && new TextDecoder().decode(f.payload)])).toEqual([
      ['LONGCMD', 'ab'],
      ['AB', 'z'],
      ['ABC', undefined],
      ['MSG', undefined],
      ['\u00e9\u00e9', 'q'],
    ]);
  });

  it('refuses push() from inside the frame handler', () => {
    const parser = createFrameParser(() => parser.push(bytes('OUT\r\n')));
    expect(() => parser.push(bytes('OUT\r\n'))).toThrow(/inside onFrame/);
    expect(thrown(() => parser.push(bytes('OUT\r\n'))).code).toBe('protocol.parser-closed');
  });

});

describe('frame parser: errors', () => {
  const opts = { maxLineBytes: 64, maxPayloadBytes: 100 };

  it('rejects a line that is too long, after delivering the frames before it, even before its end arrives', () => {
    const good = 'OUT\r\n';
    const long = `NLN ${'x'.repeat(100)}`;
    for (const chunks of [[bytes(good + long + '\r\n')], [bytes(good + long)], [...bytes(good + long)].map((b) => Uint8Array.of(b))]) {
      const run = collectFrames(chunks, opts, false);
      expect(run.frames.map((f) => f.line)).toEqual(['OUT']);
      expect(run.error).toEqual({ code: 'protocol.line-too-long', command: 'NLN', offset: 5 });
    }
  });

  it('accepts a line of exactly maxLineBytes, with or without CR, in any chunking', () => {
    const line = `NLN ${'y'.repeat(60)}`;
    expect(line.length).toBe(64);
    for (const ending of ['\r\n', '\n']) {
      const stream = bytes(line + ending);
      for (let cut = 0; cut <= stream.length; cut++) {
        expect(collectFrames(splitAt(stream, [cut]), opts).frames.map((f) => f.line)).toEqual([line]);
      }
    }
    expect(collectFrames([bytes(`${line}y\r\n`)], opts).error?.code).toBe('protocol.line-too-long');
  });

  it.each([
    ['MSG a b -5', 'protocol.bad-length'],
    ['MSG a b 5x', 'protocol.bad-length'],
    ['MSG a b +5', 'protocol.bad-length'],
    ['MSG a b ', 'protocol.bad-length'],
    ['MSG', 'protocol.bad-length'],
    ['NOT 0x10', 'protocol.bad-length'],
    ['UBX a@b.c OK', 'protocol.bad-length'],
    ['MSG a b 101', 'protocol.payload-too-large'],
    ['MSG a b 99999999999999999999', 'protocol.bad-length'],
    ['MSG a b 9999999999999999', 'protocol.payload-too-large'],
  ])('rejects %j with %s, naming the command and offset', (line, code) => {
    const run = collectFrames([bytes(`QNG 60\r\n${line}\r\nOUT\r\n`)], opts);
    expect(run.frames.map((f) => f.line)).toEqual(['QNG 60']);
    expect(run.error).toEqual({ code, command: line.split(' ')[0], offset: 8 });
  });

  it('reports a stream that ends inside a line or a payload as truncated', () => {
    expect(collectFrames([bytes('OUT\r\nNLN NLN a@b')]).error).toEqual({ code: 'protocol.truncated', command: 'NLN', offset: 5 });
    expect(collectFrames([bytes('OUT\r\nMSG a b 10\r\nabc')]).error).toEqual({ code: 'protocol.truncated', command: 'MSG', offset: 5 });
    expect(collectFrames([bytes('OUT\r\nMSG a b 10')]).error).toEqual({ code: 'protocol.truncated', command: 'MSG', offset: 5 });
    expect(collectFrames([bytes('OUT\r\nMSG a b 10\r')]).error).toEqual({ code: 'protocol.truncated', command: 'MSG', offset: 5 });
    expect(collectFrames([bytes('OUT\r\n')]).error).toBeUndefined();
  });

  it('refuses all input after a fatal error, with the same error', () => {
    const parser = createFrameParser(() => undefined, opts);
    const first = thrown(() => parser.push(bytes('MSG a b zz\r\n')));
    expect(first.message).toContain('MSG');
    expect(first.message).toContain('byte 0');
    expect(thrown(() => parser.push(bytes('OUT\r\n')))).toBe(first);
    expect(thrown(() => parser.end())).toBe(first);
  });

  it('refuses input after end()', () => {
    const parser = createFrameParser(() => undefined);
    parser.end();
    parser.end();
    expect(thrown(() => parser.push(bytes('OUT\r\n'))).code).toBe('protocol.parser-closed');
  });

  it('lets a frame handler exception through and then refuses input', () => {
    const boom = new Error('handler bug');
    const parser = createFrameParser(() => {
      throw boom;
    });
    expect(() => parser.push(bytes('OUT\r\nOUT\r\n'))).toThrow(boom);
    const after = thrown(() => parser.push(bytes('OUT\r\n')));
    expect(after.code).toBe('protocol.parser-closed');
    expect(after.cause).toBe(boom);
  });

  it('never quotes the line content of a too-long line in its message', () => {
    const run = thrown(() => createFrameParser(() => undefined, opts).push(bytes(`USR 4 TWN S ${'secret'.repeat(20)}\r\n`)));
    expect(run.message).not.toContain('secret');
  });

  it('validates its limits', () => {
    expect(() => createFrameParser(() => undefined, { maxLineBytes: 0 })).toThrow(RangeError);
    expect(() => createFrameParser(() => undefined, { maxPayloadBytes: Number.NaN })).toThrow(RangeError);
  });

  it('keeps memory bounded: a payload buffer is only the announced size, a partial line never exceeds the limit', () => {
    const parser = createFrameParser(() => undefined, { maxLineBytes: 1024, maxPayloadBytes: 1 << 20 });
    // 1 MiB of line without a line end is refused as soon as it passes the limit, not buffered.
    expect(thrown(() => {
      for (let i = 0; i < 1024; i++) parser.push(new Uint8Array(1024).fill(0x41));
    }).code).toBe('protocol.line-too-long');
  });
});

describe('frame parser: per-command limits that skip (skipPayloadsOver)', () => {
  /** Frames and skips in stream order, as one list of strings. */
  function run(chunks: Uint8Array[], options: Parameters<typeof createFrameParser>[1] = {}): { events: string[]; error?: string } {
    const events: string[] = [];
    const parser = createFrameParser((f) => events.push(f.payload ? `${f.line} <${new TextDecoder().decode(f.payload)}>` : f.line), {
      skipPayloadsOver: { UBX: 4, NOT: 0 },
      maxPayloadBytes: 100,
      onSkippedPayload: (f, length) => events.push(`skipped ${f.command} ${length} at ${f.offset}: ${f.line}`),
      ...options,
    });
    try {
      for (const c of chunks) parser.push(c);
      parser.end();
    } catch (error) {
      return { events, error: (error as ProtocolError).code };
    }
    return { events };
  }
  const stream = bytes('QNG 60\r\nUBX a@b.c 3\r\n{x}UBX a@b.c 10\r\n0123456789NOT 2\r\n<>UBX a@b.c 150\r\n' + 'z'.repeat(150) + 'OUT\r\n');
  const expected = [
    'QNG 60',
    'UBX a@b.c 3 <{x}>',
    'skipped UBX 10 at 24: UBX a@b.c 10',
    'skipped NOT 2 at 48: NOT 2',
    // Over maxPayloadBytes too: still skipped, because UBX has a skip limit.
    'skipped UBX 150 at 57: UBX a@b.c 150',
    'OUT',
  ];

  it('reads past a payload over its command\'s limit, reports it in stream order, and goes on', () => {
    expect(run([stream])).toEqual({ events: expected });
  });

  it('gives the same result at every split offset and in 1-byte chunks', () => {
    for (let cut = 0; cut <= stream.length; cut++) expect(run(splitAt(stream, [cut]))).toEqual({ events: expected });
    expect(run([...stream].map((b) => Uint8Array.of(b)))).toEqual({ events: expected });
  });

  it('leaves unlisted commands fatal over maxPayloadBytes, and is fatal above maxSkipBytes', () => {
    expect(run([bytes('MSG a b 101\r\n')]).error).toBe('protocol.payload-too-large');
    expect(run([bytes('UBX a@b.c 2147483648\r\n')]).error).toBe('protocol.payload-too-large');
    expect(run([bytes('UBX a@b.c 1000000000000\r\n')], { maxSkipBytes: 1000 }).error).toBe('protocol.payload-too-large');
    expect(run([bytes('UBX a@b.c -5\r\n')]).error).toBe('protocol.bad-length');
  });

  it('reports a stream that ends inside a skipped payload as truncated', () => {
    expect(run([bytes('UBX a@b.c 10\r\n01234')])).toEqual({ events: [], error: 'protocol.truncated' });
  });

  it('keeps the limits across setPayloadCommands, and skips silently without onSkippedPayload', () => {
    const lines: string[] = [];
    const parser = createFrameParser((f) => lines.push(f.line), { skipPayloadsOver: { UBX: 1 } });
    parser.setPayloadCommands(['MSG', 'UBX']);
    parser.push(bytes('UBX a@b.c 5\r\n12345OUT\r\n'));
    expect(lines).toEqual(['OUT']);
  });

  it('lets an onSkippedPayload exception through and then refuses input', () => {
    const boom = new Error('skip handler bug');
    const parser = createFrameParser(() => undefined, {
      skipPayloadsOver: { UBX: 1 },
      onSkippedPayload: () => {
        throw boom;
      },
    });
    expect(() => parser.push(bytes('UBX a@b.c 5\r\n12345'))).toThrow(boom);
    expect(thrown(() => parser.push(bytes('OUT\r\n'))).code).toBe('protocol.parser-closed');
  });

  it('never buffers what it skips: 8 GiB, more than any buffer can hold, skipped with one reused 1 MiB chunk', () => {
    const skips: number[] = [];
    const lines: string[] = [];
    const parser = createFrameParser((f) => lines.push(f.line), {
      skipPayloadsOver: { UBX: 1024 },
      maxSkipBytes: 2 ** 34,
      onSkippedPayload: (_f, length) => skips.push(length),
    });
    const total = 2 ** 33;
    parser.push(bytes(`UBX a@b.c ${total}\r\n`));
    const chunk = new Uint8Array(1 << 20).fill(0x20);
    for (let sent = 0; sent < total; sent += chunk.length) parser.push(chunk);
    parser.push(bytes('OUT\r\n'));
    parser.end();
    expect(skips).toEqual([total]);
    expect(lines).toEqual(['OUT']);
  });

  it('validates its limits', () => {
    expect(() => createFrameParser(() => undefined, { skipPayloadsOver: { UBX: -1 } })).toThrow(RangeError);
    expect(() => createFrameParser(() => undefined, { maxSkipBytes: 1.5 })).toThrow(RangeError);
  });
});

describe('frame parser: chunking never changes the output', () => {
  const sample = bytes(
    'VER 1 MSNP8\r\nNLN NLN bob@example.com Bob%20\u2603\u{1F600} 268435492\r\nMSG Hotmail Hotmail 7\r\n\u00e9\u2603!\r\nQNG 60\r\n' +
      'UBX bob@example.com 0\r\nNOT 3\r\n<a>911 4\r\n',
  );

  it('splits at every single offset and at every pair of offsets', () => {
    const whole = collectFrames([sample]);
    expect(whole.error).toBeUndefined();
    expect(whole.frames).toHaveLength(8);
    for (let a = 0; a <= sample.length; a++) {
      expect(collectFrames(splitAt(sample, [a]))).toEqual(whole);
      for (let b = a; b <= sample.length; b++) expect(collectFrames(splitAt(sample, [a, b]))).toEqual(whole);
    }
  });

  it('property: any chunking of any frame sequence gives the same frames and the same error', () => {
    const lineArb = fc.oneof(
      fc.constantFrom('OUT', 'QNG 60', 'CHL 0 1234', 'NLN NLN a@b.c Nick 0', '911 4', '', 'LST 5 FL 1'),
      fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `NLN ${s.replace(/[\r\n]/g, '')}`),
    );
    const frameArb = fc.oneof(
      lineArb.map((l) => bytes(`${l}\r\n`)),
      fc.uint8Array({ maxLength: 40 }).map((p) => concat(bytes(`MSG a b ${p.length}\r\n`), p)),
      fc.uint8Array({ maxLength: 40 }), // arbitrary garbage: the parser must still agree with itself
    );
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (frames, cutSeeds, end) => {
        const stream = concat(...frames);
        const cuts = cutSeeds.map((c) => (stream.length === 0 ? 0 : c % (stream.length + 1))).sort((x, y) => x - y);
        const opts = { maxLineBytes: 48, maxPayloadBytes: 64 };
        expect(collectFrames(splitAt(stream, cuts), opts, end)).toEqual(collectFrames([stream], opts, end));
        const ones = Array.from(stream, (b) => Uint8Array.of(b));
        expect(collectFrames(ones, opts, end)).toEqual(collectFrames([stream], opts, end));
      }),
      { numRuns: 400 },
    );
  });
});

// ---- Every capture, server direction, against the transcript rows themselves and split at every offset. ----

const captureDir = join(import.meta.dirname, 'testing', 'captures');
const captureFiles = readdirSync(captureDir).filter((f) => f.endsWith('.txt'));
const isMsnpTcp = (text: string): boolean => /^# .*(notification server|switchboard)/.test(text);

/** The frames a transcript's rows say the server sent: each `S: ` row a line, the `S. ` rows after it its payload. */
function expectedFrames(text: string, dir: 'S' | 'C'): { line: string; payload?: string }[] {
  const out: { line: string; payload?: string }[] = [];
  for (const row of text.split('\n')) {
    if (row.startsWith(`${dir}: `)) {
      const line = captureStream(row, dir);
      const body = line.subarray(0, line.length - (line[line.length - 2] === 13 ? 2 : 1));
      out.push({ line: new TextDecoder().decode(body) });
    } else if (row.startsWith(`${dir}. `)) {
      const last = out[out.length - 1];
      last.payload = (last.payload ?? '') + hex(captureStream(row, dir));
    }
  }
  return out;
}

describe('captures', () => {
  it('has the MSNP captures it expects', () => {
    expect(captureFiles.length).toBeGreaterThanOrEqual(19);
    expect(captureFiles.filter((f) => isMsnpTcp(readFileSync(join(captureDir, f), 'utf8')))).toHaveLength(10);
  });

  for (const file of captureFiles) {
    const text = readFileSync(join(captureDir, file), 'utf8');
    if (!isMsnpTcp(text)) continue;
    it(`${file}: server frames match the transcript, split at every byte offset`, () => {
      const stream = captureStream(text, 'S');
      const whole = collectFrames([stream]);
      expect(whole.error).toBeUndefined();
      const expected = expectedFrames(text, 'S');
      expect(whole.frames.map((f) => (f.payload === undefined ? { line: f.line } : { line: f.line, payload: f.payload }))).toEqual(
        expected.map((e) => (e.payload === undefined && /^(MSG|NOT|IPG|GCF|UBX) /.test(e.line) ? { ...e, payload: '' } : e)),
      );
      for (let cut = 0; cut <= stream.length; cut++) expect(collectFrames(splitAt(stream, [cut]))).toEqual(whole);
      expect(collectFrames(Array.from(stream, (b) => Uint8Array.of(b)))).toEqual(whole);
    });
    it(`${file}: client frames parse with the client payload set`, () => {
      const stream = captureStream(text, 'C');
      const run = collectFrames([stream], { payloadCommands: CLIENT_PAYLOAD_COMMANDS });
      expect(run.error).toBeUndefined();
      expect(run.frames.map((f) => f.line)).toEqual(expectedFrames(text, 'C').map((e) => e.line));
      for (let cut = 0; cut <= stream.length; cut += 7) {
        expect(collectFrames(splitAt(stream, [cut]), { payloadCommands: CLIENT_PAYLOAD_COMMANDS })).toEqual(run);
      }
    });
  }

  it('13-alice-http-gateway: the MSNP commands inside the gateway answers parse, split at every offset', () => {
    const text = readFileSync(join(captureDir, '13-alice-http-gateway.txt'), 'utf8');
    const bodies = captureConnections(text, 'S').map((response) => {
      let at = -1;
      for (let i = 0; i + 3 < response.length; i++) if (response[i] === 13 && response[i + 1] === 10 && response[i + 2] === 13 && response[i + 3] === 10) {
        at = i + 4;
        break;
      }
      return response.subarray(at);
    });
    const stream = concat(...bodies);
    const whole = collectFrames([stream]);
    expect(whole.error).toBeUndefined();
    expect(whole.frames.map((f) => f.command)).toContain('USR');
    expect(whole.frames.length).toBeGreaterThan(10);
    for (let cut = 0; cut <= stream.length; cut++) expect(collectFrames(splitAt(stream, [cut]))).toEqual(whole);
  });
});
