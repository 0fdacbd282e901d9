import { describe, expect, it } from 'vitest';
import { ButterflyError } from '../../src-shared/errors';
import { createMsnpChannel } from './msnp-channel';
import { FakeClock } from './testing/fake-clock';
import { ScriptedTransport } from './testing/scripted-transport';
import type { Incoming } from './wire';

const setup = () => {
  const clock = new FakeClock();
  const t = new ScriptedTransport({ host: 'ns.test', port: 1863, role: 'NS' });
  const channel = createMsnpChannel(t, { clock, requestTimeoutMs: 100 });
  const unsolicited: Incoming[] = [];
  channel.onUnsolicited((f) => unsolicited.push(f));
  return { clock, t, channel, unsolicited };
};

describe('MsnpChannel', () => {
  it('matches replies by TrID even out of order, and routes the rest as unsolicited', async () => {
    const { t, channel, unsolicited } = setup();
    const a = channel.request('ADG', ['A', '0']);
    const b = channel.request('CHG', ['NLN', '0']);
    expect(t.written).toEqual(['ADG 1 A 0', 'CHG 2 NLN 0']);
    t.lines('CHG 2 NLN 0', 'ILN 2 NLN bob@example.com Bob 0', 'NLN AWY carol@example.com Carol 0', 'ADG 1 5 A 3 0');
    expect((await b).args).toEqual(['NLN', '0']);
    expect((await a).args).toEqual(['5', 'A', '3', '0']);
    expect(unsolicited.map((f) => `${f.command}:${f.trid ?? '-'}`)).toEqual(['ILN:2', 'NLN:-']);
  });

  it('rejects on an error code with a typed server error and keeps going', async () => {
    const { t, channel } = setup();
    const p = channel.request('ADD', ['FL', 'x@example.com', 'x']);
    t.lines('205 1');
    await expect(p).rejects.toMatchObject({ code: 'server.205' });
    const q = channel.request('CHG', ['NLN', '0']);
    t.lines('CHG 2 NLN 0');
    await expect(q).resolves.toBeTruthy();
  });

  it('times out one request without closing the connection', async () => {
    const { t, channel, clock } = setup();
    const p = channel.request('SYN', ['0'], { timeoutMs: 50 });
    clock.advance(50);
    await expect(p).rejects.toMatchObject({ code: 'session.timeout' });
    expect(t.state).toBe('open');
    // A late reply to a timed-out request is just an unsolicited frame, not a crash.
    t.lines('SYN 1 5 0 0');
  });

  it('fails pending requests when the connection closes, and sends PNG without a TrID', async () => {
    const { t, channel } = setup();
    channel.send('PNG');
    expect(t.written).toEqual(['PNG']);
    const p = channel.request('SYN', ['0']);
    t.serverClose();
    await expect(p).rejects.toMatchObject({ code: 'session.connection-closed' });
    expect(channel.closed).toBe(true);
    await expect(channel.request('CHG', ['NLN'])).rejects.toBeTruthy();
  });

  it('parses TrIDs only where the command has one', () => {
    const { t, unsolicited } = setup();
    t.lines('LSG 0 Other%20Contacts 0', 'GTC A', 'GTC 5 1 A', 'CHL 0 123', 'QNG 60', 'OUT OTH');
    expect(unsolicited.map((f) => [f.command, f.trid, f.args.join(',')])).toEqual([
      ['LSG', undefined, '0,Other%20Contacts,0'],
      ['GTC', undefined, 'A'],
      ['GTC', 5, '1,A'],
      ['CHL', 0, '123'],
      ['QNG', undefined, '60'],
      ['OUT', undefined, 'OTH'],
    ]);
  });
});

describe('MsnpChannel TrIDs', () => {
  it('wraps from 2^32 - 1 back to 1 (never 0) and still matches the replies', async () => {
    const clock = new FakeClock();
    const t = new ScriptedTransport({ host: 'ns.test', port: 1863, role: 'NS' });
    const channel = createMsnpChannel(t, { clock, requestTimeoutMs: 100, firstTrid: 0xfffffffe });
    const a = channel.request('CHG', ['NLN', '0']);
    const b = channel.request('CHG', ['BSY', '0']);
    const c = channel.request('CHG', ['AWY', '0']);
    expect(t.written).toEqual(['CHG 4294967294 NLN 0', 'CHG 4294967295 BSY 0', 'CHG 1 AWY 0']);
    t.lines('CHG 1 AWY 0', 'CHG 4294967295 BSY 0', 'CHG 4294967294 NLN 0');
    expect([(await a).args[0], (await b).args[0], (await c).args[0]]).toEqual(['NLN', 'BSY', 'AWY']);
  });
});

describe('MsnpChannel: what a server may push', () => {
  it('skips stray lines (no command: a nickname\'s tail after a raw CR/LF, garbage) and goes on', () => {
    const { t, channel, unsolicited } = setup();
    const stray: string[] = [];
    const traffic: string[] = [];
    channel.onStrayLine((l) => stray.push(l));
    channel.onTraffic((e) => traffic.push(e.line));
    t.push(Buffer.concat([Buffer.from('NLN NLN bob@example.com Bob\r\nthe%20Builder 268435492\r\n'), Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0d, 0x0a]), Buffer.from('\r\nQNG 60\r\n')]));
    expect(unsolicited.map((f) => f.command)).toEqual(['NLN', 'QNG']);
    expect(stray).toEqual(['the%20Builder 268435492', '\ufffd\ufffd\u0000A', '']);
    expect(traffic[1]).toBe('the%20Builder 268435492  [not a command]');
    expect(t.state).toBe('open');
  });

  it('a flood of stray lines past the budget ends the connection at once as garbled', async () => {
    const clock = new FakeClock();
    const t = new ScriptedTransport({ host: 'ns.test', port: 1863, role: 'NS' });
    const channel = createMsnpChannel(t, { clock, requestTimeoutMs: 10_000, strayLines: { burst: 5, perSecond: 1 } });
    const p = channel.request('SYN', ['0']);
    t.lines('x', 'x', 'x', 'x', 'x');
    clock.advance(1000);
    t.lines('x');
    expect(t.state).toBe('open');
    t.lines('x');
    await expect(p).rejects.toMatchObject({ code: 'session.garbled-stream', message: expect.stringContaining('more than 5 lines that are not MSN commands') });
    expect(t.closedWith).toEqual({ abort: true });
  });

  it('a framing error ends the connection at once (no graceful wait), failing what was pending with it', async () => {
    const { t, channel } = setup();
    const p = channel.request('SYN', ['0']);
    t.lines('MSG Hotmail Hotmail -5');
    await expect(p).rejects.toMatchObject({ code: 'protocol.bad-length' });
    expect(t.closedWith).toEqual({ abort: true });
    expect(channel.closed).toBe(true);
  });

  it('a close with an error is at once; a polite one flushes', () => {
    const a = setup();
    a.channel.close(new ButterflyError('internal', 'test'));
    expect(a.t.closedWith).toEqual({ abort: true });
    const b = setup();
    b.channel.send('OUT');
    b.channel.close();
    expect(b.t.closedWith).toEqual({ abort: false });
  });

  it('skips an oversized UBX (over its 64 KiB limit) without buffering it or dropping the connection', () => {
    const { t, unsolicited, channel } = setup();
    const traffic: { line: string; payloadBytes?: number }[] = [];
    channel.onTraffic((e) => traffic.push(e));
    t.push('UBX bob@example.com 2097152\r\n');
    const chunk = new Uint8Array(65536).fill(0x41);
    for (let i = 0; i < 32; i++) t.push(chunk);
    t.push('UBX carol@example.com 2\r\n{}NLN NLN bob@example.com Bob 0\r\n');
    expect(traffic[0]).toEqual(expect.objectContaining({ line: 'UBX bob@example.com 2097152  [payload of 2097152 bytes skipped: over the 65536-byte limit for UBX]', payloadBytes: 2097152 }));
    expect(unsolicited.map((f) => `${f.command} ${f.payload?.byteLength ?? '-'}`)).toEqual(['UBX 2', 'NLN -']);
    expect(t.state).toBe('open');
  });
});
