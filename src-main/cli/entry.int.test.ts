// The entry point as a user's shell runs it: `tsx src-main/cli/main.ts …` in a child process, with a bounded
// timeout. Proves the script starts, exits with the right code once done (no handle left open), and that a
// JSON document much larger than a pipe buffer reaches stdout complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type AccountSpec, type ListName, type TestServer } from '../../e2e/msn-server/index';
import { ExitCode } from './exit-codes';
import { spawnCli } from './testing/run-cli';

const CONTACTS = 400;
const many: AccountSpec = {
  email: 'many@example.com',
  password: 'many-S3cret-pass',
  groups: [{ id: 1, name: 'Ünïcødé 100% friends' }],
  contacts: Array.from({ length: CONTACTS }, (_, i) => ({
    email: `contact${i}@example.net`,
    nickname: `Contact ${i} ✿ 100% Ünïcødé, a nickname long enough to make the list big`,
    lists: ['FL', 'AL'] as ListName[],
    groups: [i % 2],
  })),
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ accounts: [many] });
});
afterAll(async () => {
  await server?.stop();
});

const target = () => ['--server', `127.0.0.1:${server.ns.port}`, '--nexus', server.nexusUrl, '--email', many.email, '--password-env', 'PW'];

describe('the CLI as a process', () => {
  it('contacts: exits 0 and the whole JSON list arrives on stdout', async () => {
    const r = await spawnCli(['contacts', ...target()], { PW: many.password });
    expect(r.timedOut).toBe(false);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout.length).toBeGreaterThan(128 * 1024);
    const list = JSON.parse(r.stdout) as { contacts: { email: string; nickname: string }[]; groups: { name: string }[] };
    expect(list.contacts).toHaveLength(CONTACTS);
    expect(list.contacts[CONTACTS - 1]).toMatchObject({ email: `contact${CONTACTS - 1}@example.net`, nickname: `Contact ${CONTACTS - 1} ✿ 100% Ünïcødé, a nickname long enough to make the list big` });
    expect(list.groups.map((g) => g.name)).toEqual(['Other Contacts', 'Ünïcødé 100% friends']);
  });

  it('check with a wrong password: exit code 3 and the reason on stderr', async () => {
    const r = await spawnCli(['check', ...target()], { PW: 'not-the-password' });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(ExitCode.auth);
    expect(r.stderr).toMatch(/\[auth\.wrong-password\]\n$/);
  });

  it('listen: Ctrl-C (SIGINT) signs out and exits 0', async () => {
    let sent = false;
    const r = await spawnCli(['listen', '--seconds', '600', ...target()], { PW: many.password }, {
      onStdout: (all, signal) => {
        if (!sent && all.includes('"kind":"connected"')) {
          sent = true;
          signal('SIGINT');
        }
      },
    });
    expect(r.timedOut).toBe(false);
    expect(sent).toBe(true);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    // It signed out properly (OUT sent), rather than just vanishing.
    const last = server.transcripts().filter((t) => t.email === many.email).at(-1)!;
    expect(last.entries.filter((e) => e.dir === 'C').at(-1)?.bytes.toString('utf8')).toBe('OUT\r\n');
  });

  it('a usage error: exit code 2 before connecting', async () => {
    const r = await spawnCli(['check', ...target()], {});
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain('no password: put it in the environment variable PW');
  });
});
