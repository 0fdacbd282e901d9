import { describe, expect, it } from 'vitest';
import { CLIENT_PAYLOAD_COMMANDS, FrameReader, type InboundFrame } from './frame-reader';

function read(chunks: Buffer[], limits = { maxLineBytes: 1024, maxPayloadBytes: 1024 }): { frames: InboundFrame[]; fatal?: string } {
  const frames: InboundFrame[] = [];
  let fatal: string | undefined;
  const r = new FrameReader({ payloadCommands: CLIENT_PAYLOAD_COMMANDS, ...limits, onFrame: (f) => frames.push(f), onFatal: (why) => (fatal = why) });
  for (const c of chunks) r.push(c);
  return { frames, fatal };
}

const payload = Buffer.concat([Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHi — ☃ 你好 '), Buffer.from([0xe1, 0x0a, 0x0d])]);
const stream = Buffer.concat([
  Buffer.from('VER 1 MSNP8 CVR0\r\nPNG\nCHG  6   NLN 0\r\n'),
  Buffer.from(`MSG 4 A ${payload.length}\r\n`),
  payload,
  Buffer.from('QRY 7 msmsgs@msnmsgr.com 32\r\n0123456789abcdef0123456789abcdefOUT\r\n'),
]);

describe('FrameReader', () => {
  it('reads lines (bare \\n too, runs of spaces collapsed) and byte-counted payloads', () => {
    const { frames } = read([stream]);
    expect(frames.map((f) => f.fields)).toEqual([
      ['VER', '1', 'MSNP8', 'CVR0'],
      ['PNG'],
      ['CHG', '6', 'NLN', '0'],
      ['MSG', '4', 'A', String(payload.length)],
      ['QRY', '7', 'msmsgs@msnmsgr.com', '32'],
      ['OUT'],
    ]);
    expect(frames[3].payload?.equals(payload)).toBe(true);
    expect(frames[4].payload?.toString()).toBe('0123456789abcdef0123456789abcdef');
    expect(frames[1].rawLine.toString()).toBe('PNG\n');
  });

  it('gives the same frames when the stream is split at every offset, or byte by byte', () => {
    const whole = read([stream]).frames.map((f) => [f.line, f.payload?.toString('hex')]);
    for (let i = 0; i <= stream.length; i++) {
      const split = read([stream.subarray(0, i), stream.subarray(i)]).frames.map((f) => [f.line, f.payload?.toString('hex')]);
      expect(split).toEqual(whole);
    }
    const bytes = read([...stream].map((b) => Buffer.from([b]))).frames.map((f) => [f.line, f.payload?.toString('hex')]);
    expect(bytes).toEqual(whole);
  });

  it('waits for an incomplete payload without failing', () => {
    const { frames, fatal } = read([Buffer.from('MSG 1 N 10\r\n12345')]);
    expect(frames).toEqual([]);
    expect(fatal).toBeUndefined();
  });

  it('treats MSG without a numeric length as a plain line', () => {
    expect(read([Buffer.from('MSG 1 N x\r\nOUT\r\n')]).frames.map((f) => f.line)).toEqual(['MSG 1 N x', 'OUT']);
  });

  it('fails on a line longer than the cap and accepts nothing after', () => {
    const frames: InboundFrame[] = [];
    let fatal = '';
    const r = new FrameReader({ payloadCommands: CLIENT_PAYLOAD_COMMANDS, maxLineBytes: 8, maxPayloadBytes: 8, onFrame: (f) => frames.push(f), onFatal: (w) => (fatal = w) });
    r.push(Buffer.from('ABCDEFGHIJ'));
    expect(fatal).toMatch(/line longer than 8/);
    r.push(Buffer.from('\r\nOUT\r\n'));
    expect(frames).toEqual([]);
    expect(r.failed).toBe(true);
  });

  it('fails on a payload length over the cap', () => {
    expect(read([Buffer.from('MSG 1 N 2000\r\n')]).fatal).toMatch(/payload length 2000 exceeds 1024/);
  });

  it('keeps unframed bytes for the transcript', () => {
    const r = new FrameReader({ payloadCommands: CLIENT_PAYLOAD_COMMANDS, maxLineBytes: 99, maxPayloadBytes: 99, onFrame: () => undefined, onFatal: () => undefined });
    r.push(Buffer.from('OUT\r\nPN'));
    expect(r.leftover().toString()).toBe('PN');
  });
});
