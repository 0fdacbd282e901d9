// `npm run test-server -- --demo` as a person runs it: prints how to sign in, serves, stops on Ctrl-C (SIGINT).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RawClient } from './testing/raw-client';

describe('test-server CLI', () => {
  it('prints the addresses and accounts, answers on the printed port, and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/msn-server/cli.ts', '--port', '0', '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!out.includes('Press Ctrl-C to stop.')) {
        if (Date.now() > deadline) throw new Error(`no banner; got:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(out).toContain('alice@example.com');
      expect(out).toContain('password alicepass');
      expect(out).toMatch(/Passport nexus\s+http:\/\/127\.0\.0\.1:\d+\/rdr\/pprdr\.asp/);
      expect(out).toContain('butterfly-bot@example.com');
      const port = Number(/Notification server\s+127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      const c = await RawClient.connect(port);
      c.send('VER 1 MSNP8 CVR0');
      expect((await c.next()).line).toBe('VER 1 MSNP8');
      c.close();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 2 with a clear message for a bad accounts file', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/msn-server/cli.ts', '--port', '0', '--accounts', '/nonexistent/accounts.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toMatch(/test-server: cannot read \/nonexistent\/accounts\.json/);
  });
});
