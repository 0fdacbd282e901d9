// The CLI's commands in-process against the test server over real sockets: check's step lines and exit codes,
// wrong passwords on TWN and MD5, an unreachable server, contacts and listen with names decoded exactly once,
// --verbose without secrets, and usage errors.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccountsFile, startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { closedPort } from '../../e2e/proxies/index';
import { DEFAULT_CONNECTION_SETTINGS } from '../../src-shared/connection-settings';
import { ExitCode } from './exit-codes';
import { runCli, tempDataDir } from './testing/run-cli';

const accounts = loadAccountsFile(join(import.meta.dirname, 'testing', 'accounts.json'));
const DANA_PW = 'dana-S3cret-pass';
const ZOE_PW = 'zoe-S3cret-pass';

let server: TestServer;
let md5Server: TestServer;

beforeAll(async () => {
  // The second server speaks MSNP7 and below only, so the client falls back to the MD5 sign-in.
  [server, md5Server] = await Promise.all([startTestServer({ accounts }), startTestServer({ accounts, versions: [7, 6, 5, 4, 3, 2] })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), md5Server?.stop()]);
});

const target = (s: TestServer) => ['--server', `${s.ns.host}:${s.ns.port}`, '--nexus', s.nexusUrl];
const as = (email: string) => ['--email', email, '--password-env', 'PW'];

describe('check', () => {
  it('prints the route, every step with its duration, and the outcome; exits 0', async () => {
    const r = await runCli(['check', ...target(server), ...as('dana@example.com')], { PW: DANA_PW });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    const lines = r.stdout.trimEnd().split('\n');
    const ns = `127.0.0.1:${server.ns.port}`;
    expect(lines[0]).toBe(`route: direct to ${ns}`);
    const step = (label: string, detail: string) => new RegExp(`^${label} +\\d+ ms  ${detail.replace(/[.?/]/g, '\\$&')}$`);
    expect(lines.slice(1, 7)).toEqual([
      expect.stringMatching(step('connecting', ns)),
      expect.stringMatching(step('negotiating', ns)),
      expect.stringMatching(step('authenticating', ns)),
      expect.stringMatching(step('passport', server.nexusUrl)),
      expect.stringMatching(step('authenticating', ns)),
      expect.stringMatching(step('syncing', ns)),
    ]);
    // The durations line up in one column, whatever the step's name.
    expect(new Set(lines.slice(1, 7).map((l) => l.indexOf(' ms  '))).size).toBe(1);
    expect(lines[7]).toBe(`connected as dana@example.com with MSNP8 at ${ns}`);
    expect(lines[8]).toMatch(/^ok: signed in, 2 contacts in 2 groups, \d+ ms in all$/);
    expect(lines).toHaveLength(9);
  });

  it('a wrong password on TWN (Passport 401) exits with the auth code', async () => {
    const before = server.state.httpHits('/login');
    const r = await runCli(['check', ...target(server), ...as('dana@example.com')], { PW: 'not-the-password' });
    expect(r.code).toBe(ExitCode.auth);
    expect(server.state.httpHits('/login')).toBe(before + 1);
    expect(r.stdout).toMatch(/^passport +\d+ ms {2}\S+ \(failed\)$/m);
    expect(r.stdout).not.toMatch(/^ok:/m);
    expect(r.stderr).toMatch(/^failed: .*password.* \[auth\.wrong-password\]\n$/);
  });

  it('a wrong password on MD5 (911 after the hash) exits with the auth code', async () => {
    const r = await runCli(['check', ...target(md5Server), ...as('dana@example.com')], { PW: 'not-the-password' });
    expect(r.code).toBe(ExitCode.auth);
    expect(r.stderr).toMatch(/\[auth\.wrong-password\]\n$/);
    // It really was MD5: the client sent USR MD5 I and no Passport request happened.
    const sent = md5Server.transcripts().flatMap((t) => t.entries.filter((e) => e.dir === 'C').map((e) => e.bytes.toString('utf8')));
    expect(sent.some((l) => /^USR \d+ MD5 I dana@example\.com\r\n$/.test(l))).toBe(true);
    expect(md5Server.state.httpHits('/login')).toBe(0);
  });

  it('signs in with MD5 where the server speaks MSNP7 at most', async () => {
    const r = await runCli(['check', ...target(md5Server), ...as('dana@example.com')], { PW: DANA_PW });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toContain(`connected as dana@example.com with MSNP7 at 127.0.0.1:${md5Server.ns.port}\n`);
    expect(r.stdout).not.toMatch(/^passport/m);
  });

  it('an unreachable server exits with the network code and says what happened', async () => {
    const port = await closedPort();
    const r = await runCli(['check', '--server', `127.0.0.1:${port}`, '--nexus', server.nexusUrl, ...as('dana@example.com')], { PW: DANA_PW });
    expect(r.code).toBe(ExitCode.network);
    expect(r.stdout).toMatch(new RegExp(`^connecting +\\d+ ms  127\\.0\\.0\\.1:${port} \\(failed\\)$`, 'm'));
    // Then the route, hop by hop: nothing to resolve, no proxy, and the server is where it fails.
    expect(r.stdout).toContain(`route check (direct to 127.0.0.1:${port}):\n`);
    expect(r.stdout).toMatch(/^ {2}ok +\d+ ms {2}Resolve 127\.0\.0\.1 \(127\.0\.0\.1 is an address: nothing to resolve\)$/m);
    expect(r.stdout).toMatch(/^ {2}skipped +0 ms {2}Reach a proxy \(no proxy on this route\)$/m);
    expect(r.stdout).toMatch(new RegExp(`^  failed +\\d+ ms  Reach the MSN server at 127\\.0\\.0\\.1:${port}: Could not connect`, 'm'));
    expect(r.stderr).toBe(`failed: Could not connect to the MSN server at 127.0.0.1:${port}: nothing is accepting connections there (connection refused). Check the address and port in the connection settings, and your network. [transport.target-unreachable]\n`);
  });

  it('an unreachable Passport nexus is a network failure too', async () => {
    const port = await closedPort();
    const r = await runCli(['check', '--server', `127.0.0.1:${server.ns.port}`, '--nexus', `http://127.0.0.1:${port}/rdr/pprdr.asp`, ...as('dana@example.com')], { PW: DANA_PW });
    expect(r.code).toBe(ExitCode.network);
    expect(r.stderr).toContain(`Could not connect to the web server at 127.0.0.1:${port}`);
  });
});

describe('contacts', () => {
  it('prints the list and groups as JSON with names decoded exactly once', async () => {
    const r = await runCli(['contacts', ...target(server), ...as('dana@example.com')], { PW: DANA_PW });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    const printed = JSON.parse(r.stdout);
    expect(printed.groups).toEqual([
      { id: '0', name: 'Other Contacts' },
      { id: '1', name: 'Ünïcødé 100% friends' },
    ]);
    expect(printed.contacts).toEqual([
      expect.objectContaining({ email: 'zoe@example.com', nickname: 'Zoë ✿ 100% sûr', groupIds: ['1'], lists: { FL: true, AL: true, BL: false, RL: true } }),
      expect.objectContaining({ email: 'olaf@example.net', nickname: 'Ölaf 50% off', groupIds: ['0'], lists: { FL: true, AL: true, BL: false, RL: false } }),
    ]);
    // The wire really mixed raw UTF-8, %20 and a bare '%' (as Escargot writes them), so decoding was exercised.
    const wire = server.formatTranscripts((t) => t.email === 'dana@example.com');
    expect(wire).toContain('LST zoe@example.com Zoë%20✿%20100%%20sûr 11 1');
    expect(wire).toContain('LSG 1 Ünïcødé%20100%%20friends');
  });
});

describe('the data directory', () => {
  it('keeps the list cache per account under BUTTERFLY_DATA_DIR and sends its version in the next SYN', async () => {
    const dir = tempDataDir();
    try {
      const first = await runCli(['contacts', ...target(server), ...as('dana@example.com')], { PW: DANA_PW, BUTTERFLY_DATA_DIR: dir });
      expect(first.code).toBe(ExitCode.ok);
      // Named by the account's id: (this server, dana), as the data directory's account registry has it.
      const { accounts } = JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8')) as { accounts: { id: string; email: string; server: { port: number } }[] };
      const dana = accounts.find((a) => a.email === 'dana@example.com' && a.server.port === server.ns.port);
      const file = join(dir, 'lists', `${dana?.id}.json`);
      expect(existsSync(file)).toBe(true);
      // Stored as it came off the wire; only what is shown to a person is decoded.
      expect(readFileSync(file, 'utf8')).toContain('"nickname":"Zoë%20✿%20100%%20sûr"');
      const syns = () => server.transcripts().filter((t) => t.email === 'dana@example.com').flatMap((t) => t.entries.filter((e) => e.dir === 'C').map((e) => e.bytes.toString('utf8')).filter((l) => l.startsWith('SYN ')));
      const before = syns().length;
      const second = await runCli(['contacts', ...target(server), ...as('dana@example.com')], { PW: DANA_PW, BUTTERFLY_DATA_DIR: dir });
      expect(second.stdout).toBe(first.stdout);
      expect(syns().slice(before)).toEqual([expect.stringMatching(/^SYN \d+ 1\r\n$/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the app's configured server", () => {
  it("is the default --server: the CLI signs in to it as the app's account, and finds the cache an older Butterfly kept by address", async () => {
    const dir = tempDataDir();
    try {
      const configured = { ...DEFAULT_CONNECTION_SETTINGS, server: { host: '127.0.0.1', port: server.ns.port }, nexusUrl: server.nexusUrl };
      writeFileSync(join(dir, 'settings.json'), JSON.stringify({ format: 1, settings: configured }));
      mkdirSync(join(dir, 'lists'));
      const legacy = join(dir, 'lists', 'dana%40example.com.json');
      writeFileSync(legacy, JSON.stringify({ format: 1, list: { version: 1, gtc: 'A', blp: 'AL', groups: [], contacts: [], ownPhones: {} } }));
      const syns = () => server.transcripts().filter((t) => t.email === 'dana@example.com').flatMap((t) => t.entries.filter((e) => e.dir === 'C').map((e) => e.bytes.toString('utf8')).filter((l) => l.startsWith('SYN ')));
      const before = syns().length;

      const r = await runCli(['check', ...as('dana@example.com')], { PW: DANA_PW, BUTTERFLY_DATA_DIR: dir });
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')[0]).toBe(`route: direct to 127.0.0.1:${server.ns.port}`);
      // The old cache became the account's: its version went out in the SYN, and it is no longer where it was.
      expect(syns().slice(before)).toEqual([expect.stringMatching(/^SYN \d+ 1\r\n$/)]);
      expect(existsSync(legacy)).toBe(false);
      const { accounts } = JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8')) as { accounts: { id: string; email: string; server: { port: number } }[] };
      expect(accounts).toEqual([{ id: expect.any(String), email: 'dana@example.com', server: { host: '127.0.0.1', port: server.ns.port } }]);
      expect(existsSync(join(dir, 'lists', `${accounts[0].id}.json`))).toBe(true);
      // The app's files are read, never changed.
      expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ format: 1, settings: configured });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable settings.json is left where it is, and the live defaults apply', async () => {
    const dir = tempDataDir();
    try {
      writeFileSync(join(dir, 'settings.json'), '{"format":1,');
      const r = await runCli(['check', '--email', 'dana@example.com', '--password-env', 'PW', '--server', `127.0.0.1:${await closedPort()}`], { PW: DANA_PW, BUTTERFLY_DATA_DIR: dir });
      expect(r.code).toBe(ExitCode.network);
      expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{"format":1,');
      expect(readdirSync(dir).filter((f) => f.includes('unreadable'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('listen', () => {
  it('prints events as JSON lines: a contact signing in and out, nickname decoded; Ctrl-C ends it with 0', async () => {
    const stop = new AbortController();
    let zoeRun: Promise<unknown> | undefined;
    const events = () => lines.map((l) => JSON.parse(l) as { type: string; state?: { kind: string }; email?: string; status?: string });
    let lines: string[] = [];
    const r = await runCli(['listen', '--seconds', '600', ...target(server), ...as('dana@example.com')], { PW: DANA_PW }, {
      signal: stop.signal,
      onStdout: (all) => {
        lines = all.split('\n').filter(Boolean);
        const seen = events();
        // Once dana is connected, zoe signs in and out with a second CLI run; once her FLN arrived, stop.
        if (!zoeRun && seen.some((e) => e.type === 'connection-state' && e.state?.kind === 'connected')) {
          zoeRun = runCli(['check', ...target(server), ...as('zoe@example.com')], { PW: ZOE_PW });
        }
        if (seen.some((e) => e.type === 'presence' && e.email === 'zoe@example.com' && e.status === 'FLN')) stop.abort();
      },
    });
    expect(await zoeRun).toMatchObject({ code: ExitCode.ok });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    const presence = events().filter((e) => e.type === 'presence' && e.email === 'zoe@example.com');
    expect(presence).toEqual([
      { type: 'presence', email: 'zoe@example.com', status: 'NLN', nickname: 'Zoë ✿ 100% sûr', clientId: 0 },
      { type: 'presence', email: 'zoe@example.com', status: 'FLN', nickname: 'Zoë ✿ 100% sûr', clientId: 0 },
    ]);
    expect(server.formatTranscripts((t) => t.email === 'dana@example.com')).toContain('NLN NLN zoe@example.com Zoë%20✿%20100%%20sûr 0');
    // The list events decode group names too.
    const list = events().filter((e) => e.type === 'contact-list').at(-1) as unknown as { list: { groups: { name: string }[] } };
    expect(list.list.groups.map((g) => g.name)).toContain('Ünïcødé 100% friends');
  });

  it('ends by itself after --seconds and exits 0', async () => {
    const r = await runCli(['listen', '--seconds', '0.2', ...target(server), ...as('zoe@example.com')], { PW: ZOE_PW });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toContain('{"type":"connection-state","state":{"kind":"connected","email":"zoe@example.com"');
    expect(r.stdout).toContain('{"type":"own-profile","profile":{"email":"zoe@example.com","nickname":"Zoë ✿ 100% sûr","status":"NLN"}}');
  });

  it('a sign-in elsewhere (OUT OTH) ends it with the session error', async () => {
    const stop = new AbortController();
    let second: Promise<unknown> | undefined;
    const r = await runCli(['listen', '--seconds', '600', ...target(server), ...as('zoe@example.com')], { PW: ZOE_PW }, {
      signal: stop.signal,
      onStdout: (all) => {
        if (!second && all.includes('"kind":"connected"')) second = runCli(['check', ...target(server), ...as('zoe@example.com')], { PW: ZOE_PW });
      },
    });
    await second;
    expect(r.stdout).toContain('"reason":"elsewhere"');
    expect(r.code).toBe(ExitCode.failure);
    expect(r.stderr).toBe('failed: You signed in to Messenger from another place, so this one was signed out. [session.signed-in-elsewhere]\n');
  });
});

describe('--verbose', () => {
  it('prints the traffic on stderr with the password and the ticket redacted', async () => {
    const r = await runCli(['check', '--verbose', ...target(server), ...as('dana@example.com')], { PW: DANA_PW });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stderr).toMatch(/^>> NS VER 1 MSNP12 MSNP11 /m);
    expect(r.stderr).toMatch(/^<< NS USR \d+ OK dana@example\.com /m);
    expect(r.stderr).toMatch(/^>> HTTP GET http:\/\/127\.0\.0\.1:\d+\/login$/m);
    expect(r.stderr).toMatch(/^>> NS USR \d+ TWN S \[redacted\]$/m);
    // The ticket this run really sent, from the server's side of the wire.
    const sent = server.transcripts().filter((t) => t.email === 'dana@example.com').flatMap((t) => t.entries.filter((e) => e.dir === 'C').map((e) => e.bytes.toString('utf8')));
    const tickets = sent.map((l) => /^USR \d+ TWN S (\S+)\r\n$/.exec(l)?.[1]).filter((t): t is string => t !== undefined);
    expect(tickets.length).toBeGreaterThan(0);
    for (const secret of [DANA_PW, ...tickets]) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  });

  it('redacts the MD5 hash too', async () => {
    const r = await runCli(['check', '--verbose', ...target(md5Server), ...as('dana@example.com')], { PW: DANA_PW });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stderr).toMatch(/^>> NS USR \d+ MD5 S \[redacted\]$/m);
    expect(r.stderr).not.toContain(DANA_PW);
  });
});

describe('usage errors exit 2 before any connection', () => {
  // argv is built lazily: the server's ports are known only once beforeAll ran.
  it.each<[string, () => string[], Record<string, string>, RegExp]>([
    ['a password on argv', () => ['check', '--password', DANA_PW, ...target(server), '--email', 'dana@example.com'], {}, /--password is not accepted/],
    ['a proxy password on argv', () => ['check', '--proxy-password=x', ...target(server), ...as('dana@example.com')], { PW: DANA_PW }, /process lists/],
    ['the password variable unset', () => ['check', ...target(server), ...as('dana@example.com')], {}, /no password: put it in the environment variable PW/],
    ['the password variable empty', () => ['check', ...target(server), ...as('dana@example.com')], { PW: '' }, /environment variable PW/],
    ['no account', () => ['check', ...target(server), '--password-env', 'PW'], { PW: DANA_PW }, /no account given/],
    ['the proxy password variable unset', () => ['check', ...target(server), ...as('dana@example.com'), '--proxy', 'socks5://u@127.0.0.1:1080', '--proxy-password-env', 'PPW'], { PW: DANA_PW }, /PPW \(--proxy-password-env\) is not set/],
    ['a SOCKS proxy with the gateway', () => ['check', ...target(server), ...as('dana@example.com'), '--proxy', 'socks5://127.0.0.1:1080', '--gateway', '127.0.0.1:80'], { PW: DANA_PW }, /only be reached through an HTTP proxy/],
    ['a bad server address', () => ['check', '--server', 'http://x:1', ...as('dana@example.com')], { PW: DANA_PW }, /--server/],
    ['an unknown command', () => ['chek'], {}, /unknown command chek/],
  ])('%s', async (_name, argv, env, message) => {
    const connections = server.transcripts().length;
    const r = await runCli(argv(), env);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain(DANA_PW);
    expect(server.transcripts().length).toBe(connections);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toMatch(/^Usage: npm run cli -- <command> \[options\]/);
    expect(r.stdout).toContain('--proxy-password-env VAR');
  });
});
