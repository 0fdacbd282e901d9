// The CLI's personal-message commands against the test server speaking MSNP2–12, in-process over real sockets:
// `check` says the version it negotiated, `set-psm` and `set-media` reach a contact listening with `listen`, and
// `contacts` shows what an online contact says; below MSNP11 and with bad input, clear errors.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_VERSIONS, loadAccountsFile, startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { ExitCode } from './exit-codes';
import { runCli, tempDataDir } from './testing/run-cli';

const accounts = loadAccountsFile(join(import.meta.dirname, 'testing', 'accounts.json'));
const DANA_PW = 'dana-S3cret-pass';
const ZOE_PW = 'zoe-S3cret-pass';

let server: TestServer;
let msnp8: TestServer;

beforeAll(async () => {
  [server, msnp8] = await Promise.all([startTestServer({ accounts, versions: [...ALL_VERSIONS] }), startTestServer({ accounts })]);
});
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all([server?.stop(), msnp8?.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const target = (s: TestServer) => ['--server', `${s.ns.host}:${s.ns.port}`, '--nexus', s.nexusUrl];
const as = (email: string) => ['--email', email, '--password-env', 'PW'];

/** zoe listening until `until` has happened; her JSON lines. */
async function zoeListening(until: () => Promise<unknown>): Promise<unknown[]> {
  let online: () => void = () => undefined;
  const ready = new Promise<void>((r) => (online = r));
  const controller = new AbortController();
  const run = runCli(['listen', '--seconds', '30', ...target(server), ...as('zoe@example.com')], { PW: ZOE_PW }, { signal: controller.signal, onStdout: (all) => all.includes('"kind":"connected"') && online() });
  await ready;
  await until();
  await new Promise((r) => setTimeout(r, 300));
  controller.abort();
  const r = await run;
  expect(r.stderr).toBe('');
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

describe('personal messages from the command line', () => {
  it('check prints the negotiated version', async () => {
    const r = await runCli(['check', ...target(server), ...as('dana@example.com')], { PW: DANA_PW });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toMatch(/connected as dana@example\.com with MSNP12 at /);
  });

  it('set-psm and set-media reach a contact’s listen, the message decoded and the media rendered from its template', async () => {
    // One data directory for dana's runs: the personal message is kept with her list, so set-media keeps it.
    const dana = { PW: DANA_PW, BUTTERFLY_DATA_DIR: tempDataDir() };
    dirs.push(dana.BUTTERFLY_DATA_DIR);
    const psm = await runCli(['set-psm', 'fish & chips <3 ✿ שלום', ...target(server), ...as('dana@example.com')], dana);
    expect([psm.code, psm.stdout]).toEqual([ExitCode.ok, 'ok: personal message set to "fish & chips <3 ✿ שלום" (MSNP12)\n']);
    const media = await runCli(['set-media', 'Daft Punk - One More Time', ...target(server), ...as('dana@example.com')], dana);
    expect(media.code).toBe(ExitCode.ok);
    expect(server.state.account('dana@example.com')?.personalMessage).toBe('fish & chips <3 ✿ שלום');
    const seen = await zoeListening(() => runCli(['listen', '--seconds', '1', ...target(server), ...as('dana@example.com')], dana));
    const presence = seen.filter((e) => (e as { type: string }).type === 'presence' && (e as { email: string }).email === 'dana@example.com');
    expect(presence).toContainEqual(
      expect.objectContaining({ personalMessage: 'fish & chips <3 ✿ שלום', nickname: 'Dana', nowPlaying: 'One More Time - Daft Punk', currentMedia: expect.objectContaining({ type: 'Music', format: '{0} - {1}' }) }),
    );
  });

  it('contacts shows what an online contact says', async () => {
    let printed: { contacts: { email: string; personalMessage?: string }[] } | undefined;
    expect((await runCli(['set-psm', 'Zoë’s ✿ message', ...target(server), ...as('zoe@example.com')], { PW: ZOE_PW })).code).toBe(ExitCode.ok);
    // The server keeps it: while zoe is online, dana's list shows it.
    await zoeListening(async () => {
      const r = await runCli(['contacts', ...target(server), ...as('dana@example.com')], { PW: DANA_PW });
      printed = JSON.parse(r.stdout);
    });
    expect(printed?.contacts.find((c) => c.email === 'zoe@example.com')?.personalMessage).toBe('Zoë’s ✿ message');
  });

  it('below MSNP11: refused with session.not-supported; bad input is a usage error before anything is sent', async () => {
    const old = await runCli(['set-psm', 'hello', ...target(msnp8), ...as('dana@example.com')], { PW: DANA_PW });
    expect(old.code).toBe(ExitCode.failure);
    expect(old.stderr).toMatch(/MSNP11 or later; this server speaks MSNP8.*\[session\.not-supported\]/);
    const none = await runCli(['set-psm', ...target(server), ...as('dana@example.com')], { PW: DANA_PW });
    expect([none.code, none.stderr]).toEqual([ExitCode.usage, expect.stringContaining('set-psm takes one text')]);
    const long = await runCli(['set-psm', 'x'.repeat(1025), ...target(server), ...as('dana@example.com')], { PW: DANA_PW });
    expect([long.code, long.stderr]).toEqual([ExitCode.usage, expect.stringContaining('at most 1024 characters')]);
    const media = await runCli(['set-media', 'Artist - ', ...target(server), ...as('dana@example.com')], { PW: DANA_PW });
    expect([media.code, media.stderr]).toEqual([ExitCode.usage, expect.stringContaining('title must not be empty')]);
  });
});
