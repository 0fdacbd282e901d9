import { describe, expect, it } from 'vitest';
import { escapeBytes, formatTranscript, type ConnectionTranscript } from './transcript';
import { parseCapture } from './testing/capture';

describe('transcript formatting', () => {
  it('escapes like the captures and round-trips through their notation', () => {
    const t: ConnectionTranscript = {
      id: 3,
      server: 'sb',
      via: 'tcp',
      remote: '127.0.0.1:5000',
      email: 'bob@example.com',
      openedAt: 0,
      closedAt: 1,
      entries: [
        { dir: 'C', kind: 'line', bytes: Buffer.from('MSG 3 A 40\r\n'), at: 0 },
        { dir: 'C', kind: 'payload', bytes: Buffer.concat([Buffer.from('Content-Type: text/plain\r\n\r\nOl'), Buffer.from([0xe1]), Buffer.from(' \\ ☃\tx')]), at: 0 },
        { dir: 'S', kind: 'line', bytes: Buffer.from('ACK 3\r\n'), at: 0 },
        { dir: 'C', kind: 'raw', bytes: Buffer.from('PN'), at: 0 },
      ],
    };
    const text = formatTranscript(t);
    expect(text.split('\n')).toEqual([
      '# connection 3: sb via tcp from 127.0.0.1:5000 (bob@example.com)',
      'C: MSG 3 A 40\\r\\n',
      'C. Content-Type: text/plain\\r\\n',
      'C. \\r\\n',
      'C. Ol\\xe1 \\\\ ☃\\tx',
      'S: ACK 3\\r\\n',
      'C~ PN',
      '# closed',
    ]);
    const rows = parseCapture(text);
    const client = Buffer.concat(rows.filter((r) => r.dir === 'C').map((r) => r.bytes));
    expect(client.equals(Buffer.concat(t.entries.filter((e) => e.dir === 'C').map((e) => e.bytes)))).toBe(true);
  });

  it('escapes invalid UTF-8 byte by byte but keeps valid characters around it', () => {
    expect(escapeBytes(Buffer.from([0x41, 0xc3, 0x28, 0xe2, 0x9c, 0xbf]))).toBe('A\\xc3(✿');
  });
});
