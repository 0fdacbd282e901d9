import { describe, expect, it } from 'vitest';
import { ServerConnection, type Link } from './connection';
import { defaultFaults, type FaultOptions } from './faults';

function setup(faults: Partial<FaultOptions> = {}, onFrame: (c: ServerConnection, line: string) => void = () => undefined) {
  const written: Buffer[] = [];
  const events: string[] = [];
  const link: Link = {
    via: 'tcp',
    remote: 'test',
    write: (d) => written.push(Buffer.from(d)),
    end: () => events.push('end'),
    destroy: () => events.push('destroy'),
  };
  const f = { ...defaultFaults(), ...faults };
  const conn = new ServerConnection(1, 'ns', link, () => f, { maxLineBytes: 64, maxPayloadBytes: 64 });
  conn.handler = { onFrame: (frame) => onFrame(conn, frame.line), onClose: () => events.push('closed') };
  return { conn, written, events, text: () => Buffer.concat(written).toString() };
}

const echo = (c: ServerConnection, line: string): void => {
  if (line === 'BOOM') throw new Error('handler bug');
  c.send(`R ${line}`);
  if (line === 'BYE') c.end();
};

describe('ServerConnection', () => {
  it('writes replies synchronously, in order, and ends after the reply that asked for it', () => {
    const { conn, text, events } = setup({}, echo);
    conn.receive(Buffer.from('A\r\nBYE\r\nC\r\n'));
    expect(text()).toBe('R A\r\nR BYE\r\n');
    expect(events).toEqual(['end']);
  });

  it('answers commands that arrived together in reverse order when asked to', () => {
    const { conn, text } = setup({ reorderReplies: true }, echo);
    conn.receive(Buffer.from('A\r\nB\r\n'));
    expect(text()).toBe('R B\r\nR A\r\n');
  });

  it('chunks writes one byte at a time without losing order', async () => {
    const { conn, written, text } = setup({ chunking: 'byte' }, echo);
    conn.receive(Buffer.from('A\r\nB\r\n'));
    conn.send('UNSOLICITED');
    await expect.poll(() => text()).toBe('R A\r\nR B\r\nUNSOLICITED\r\n');
    expect(written.every((w) => w.length === 1)).toBe(true);
  });

  it('drops mid-reply after half of the reply bytes', () => {
    const { conn, text, events } = setup({ dropAt: { command: 'HELLO', phase: 'mid-reply' } }, (c) => c.send('0123456789'));
    conn.receive(Buffer.from('HELLO\r\n'));
    expect(text()).toBe('012345');
    expect(events).toEqual(['destroy', 'closed']);
  });

  it('reports a handler exception and drops the connection instead of throwing', () => {
    const errors: string[] = [];
    const { conn, events, text } = setup({}, echo);
    conn.onInternalError = (e, line) => errors.push(`${line}: ${e.message}`);
    expect(() => conn.receive(Buffer.from('A\r\nBOOM\r\nC\r\n'))).not.toThrow();
    expect(errors).toEqual(['BOOM: handler bug']);
    expect(text()).toBe('R A\r\n');
    expect(events).toEqual(['destroy', 'closed']);
  });

  it('drops a connection whose line exceeds the cap, keeping the bytes in the transcript', () => {
    const { conn, events } = setup({}, echo);
    conn.receive(Buffer.alloc(100, 0x41));
    expect(events).toEqual(['destroy', 'closed']);
    expect(conn.transcript.entries.at(-1)).toMatchObject({ dir: 'C', kind: 'raw' });
  });
});
