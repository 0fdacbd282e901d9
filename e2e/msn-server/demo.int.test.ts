// The demo bot over real sockets: on the list with a nickname in the server's mixed encoding, online, joins when
// called, greets with typing first, and sends the ISO-8859-1, KOI8-R and nudge payloads on request.
import iconv from 'iconv-lite';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_BOT_EMAIL, type TestServer } from './index';
import { serverPerTest } from './testing/server-per-test';
import { signInTwn } from './testing/sign-in';
import { openSwitchboard } from './testing/switchboard';

let server: TestServer;
const { start, track } = serverPerTest();
beforeEach(async () => {
  server = await start({ demo: true, botReplyDelayMs: 20 });
});

const BOT_NICK_WIRE = 'Butterfly%20Bot%20✿%20démo%20100%';
const text = (s: string): string => `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${s}`;

describe('demo bot', () => {
  it('is on the list and online, with raw UTF-8, %20 and a bare % in its nickname', async () => {
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    alice.send('SYN 5 0');
    expect((await alice.waitFor(`LST ${DEMO_BOT_EMAIL}`)).line).toBe(`LST ${DEMO_BOT_EMAIL} ${BOT_NICK_WIRE} 11 0`);
    alice.send('CHG 6 NLN 0');
    expect((await alice.waitFor('ILN')).line).toBe(`ILN 6 NLN ${DEMO_BOT_EMAIL} ${BOT_NICK_WIRE} 0`);
  });

  it('joins when called, greets, echoes, and sends every charset and a nudge', async () => {
    const ns = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    ns.send('CHG 5 NLN 0');
    await ns.waitFor('CHG 5');
    const sb = track(await openSwitchboard(server, ns, 'alice@example.com', 6));
    sb.send(`CAL 2 ${DEMO_BOT_EMAIL}`);
    expect((await sb.next()).line).toMatch(/^CAL 2 RINGING /);
    expect((await sb.next()).line).toBe(`JOI ${DEMO_BOT_EMAIL} ${BOT_NICK_WIRE}`);
    const typing = await sb.next();
    expect(typing.payload?.toString()).toContain('Content-Type: text/x-msmsgscontrol\r\nTypingUser: butterfly-bot@example.com');
    expect((await sb.next()).payload?.toString()).toContain("I'm the Butterfly demo bot");

    sb.sendMsg(3, 'A', text('ça marche?'));
    expect((await sb.next()).line).toBe('ACK 3');
    await sb.waitFor('MSG'); // typing
    expect((await sb.next()).payload?.toString('utf8')).toMatch(/\r\n\r\nYou said: ça marche\?$/);

    sb.sendMsg(4, 'N', text('all'));
    await sb.waitFor('MSG'); // typing
    const [latin1, koi8, nudge] = await sb.take(3);
    expect(latin1.payload?.toString('latin1')).toMatch(/^MIME-Version: 1\.0\r\nContent-Type: text\/plain\r\n/);
    expect(latin1.payload?.toString('latin1')).toContain('Olá! Ça va très bien');
    expect(latin1.payload?.includes(Buffer.from('Ol\xe1', 'latin1'))).toBe(true);
    expect(koi8.payload?.toString('latin1')).toContain('Content-Type: text/plain; charset=KOI8-R\r\n');
    expect(koi8.payload?.includes(iconv.encode('Привет!', 'koi8-r'))).toBe(true);
    expect(nudge.payload?.toString()).toBe('MIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: 1\r\n\r\n');
    expect(latin1.line).toBe(`MSG ${DEMO_BOT_EMAIL} ${BOT_NICK_WIRE} ${latin1.payload?.length}`);
  });
});
