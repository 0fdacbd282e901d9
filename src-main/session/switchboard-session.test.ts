// One switchboard connection's protocol rules on an in-memory switchboard: the roster and the invited side's own JOI,
// events held until someone listens, a bare error code answering a CAL, and nonsense closing it with a typed error.
import { describe, expect, it } from 'vitest';
import { buildTextMessage } from '../protocol/im-message';
import { SwitchboardSession, type SwitchboardEvent } from './switchboard-session';
import { FakeClock } from './testing/fake-clock';
import { FakeSwitchboardServer } from './testing/fake-switchboard';

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function options(server: FakeSwitchboardServer, clock = new FakeClock()) {
  return { transportFactory: server.factory, clock, selfEmail: 'alice@example.com', connectTimeoutMs: 1_000, requestTimeoutMs: 1_000, ackTimeoutMs: 1_000 };
}

async function called(server = new FakeSwitchboardServer()) {
  const sb = await SwitchboardSession.call(options(server), { host: 'sb.test', port: 1864, cookie: 'c' });
  const events: SwitchboardEvent[] = [];
  sb.listen((e) => events.push(e));
  return { sb, server, conn: server.last, events };
}

describe('SwitchboardSession', () => {
  it('invited: the roster from IRO, its own JOI ignored, events held until someone listens', async () => {
    const server = new FakeSwitchboardServer();
    server.rosters.set('9', ['bob@example.com', 'carol@example.com']);
    const answering = SwitchboardSession.answer(options(server), { host: 'sb.test', port: 1864, cookie: 'k', sessionId: '9', callerEmail: 'bob@example.com', callerNickname: 'Bob' });
    await settle();
    server.last.lines('JOI alice@example.com alice@example.com');
    server.last.message('bob@example.com', buildTextMessage('early'));
    const sb = await answering;
    await settle();
    expect([...sb.members.keys()]).toEqual(['bob@example.com', 'carol@example.com']);
    expect(sb.caller).toBe('bob@example.com');
    const events: SwitchboardEvent[] = [];
    sb.listen((e) => events.push(e));
    expect(events.map((e) => e.type)).toEqual(['joined', 'joined', 'content']);
  });

  it('a bare error code (no TrID) answers the oldest CAL at once', async () => {
    const { sb, server } = await called();
    server.behaviour.cal = () => ({ bare: 205 });
    await expect(sb.invite('nobody@example.com')).rejects.toMatchObject({ code: 'server.205' });
    server.behaviour.cal = () => 217;
    await expect(sb.invite('bob@example.com')).rejects.toMatchObject({ code: 'server.217' });
    server.behaviour.cal = () => 'join';
    await expect(sb.invite('bob@example.com')).resolves.toBeUndefined();
    expect(sb.sessionId).toBe('4242');
  });

  it.each([
    ['a line that is no command', '\u0001\u0002 garbage\r\n', 'switchboard.garbled'],
    ['a MSG line without its sender', 'MSG 0\r\n', 'switchboard.garbled'],
    ['a JOI of the wrong shape', 'JOI\r\n', 'switchboard.garbled'],
    ['a BYE of the wrong shape', 'BYE not-an-address\r\n', 'switchboard.garbled'],
    ['a lying length', 'MSG bob@example.com Bob 99999999999\r\n', 'protocol.payload-too-large'],
    ['a length that is no number', 'MSG bob@example.com Bob 12x\r\n', 'protocol.bad-length'],
  ])('%s closes it with a typed error', async (_what, bytes, code) => {
    const { conn, events } = await called();
    conn.push(new TextEncoder().encode(bytes));
    await settle();
    expect(events.at(-1)).toMatchObject({ type: 'closed', error: { code } });
  });

  it('a message awaiting its ACK fails with the close error when the switchboard goes', async () => {
    const { sb, server, conn } = await called();
    server.behaviour.ack = () => 'none';
    const sending = sb.sendMessage(buildTextMessage('x'));
    await settle();
    conn.push(new TextEncoder().encode('\u0001garbage\r\n'));
    await expect(sending).rejects.toMatchObject({ code: 'switchboard.garbled' });
  });
});
