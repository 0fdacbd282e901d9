import { describe, expect, it } from 'vitest';
import { createNsChannel } from './ns-channel';
import { FakeClock } from './testing/fake-clock';
import { ScriptedTransport } from './testing/scripted-transport';
import type { Incoming } from './wire';

const setup = () => {
  const clock = new FakeClock();
  const t = new ScriptedTransport({ host: 'ns.test', port: 1863, role: 'NS' });
  const channel = createNsChannel(t, { clock, requestTimeoutMs: 100 });
  const unsolicited: Incoming[] = [];
  channel.onUnsolicited((f) => unsolicited.push(f));
  return { clock, t, channel, unsolicited };
};

describe('NsChannel', () => {
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

describe('NsChannel TrIDs', () => {
  it('wraps from 2^32 - 1 back to 1 (never 0) and still matches the replies', async () => {
    const clock = new FakeClock();
    const t = new ScriptedTransport({ host: 'ns.test', port: 1863, role: 'NS' });
    const channel = createNsChannel(t, { clock, requestTimeoutMs: 100, firstTrid: 0xfffffffe });
    const a = channel.request('CHG', ['NLN', '0']);
    const b = channel.request('CHG', ['BSY', '0']);
    const c = channel.request('CHG', ['AWY', '0']);
    expect(t.written).toEqual(['CHG 4294967294 NLN 0', 'CHG 4294967295 BSY 0', 'CHG 1 AWY 0']);
    t.lines('CHG 1 AWY 0', 'CHG 4294967295 BSY 0', 'CHG 4294967294 NLN 0');
    expect([(await a).args[0], (await b).args[0], (await c).args[0]]).toEqual(['NLN', 'BSY', 'AWY']);
  });
});
