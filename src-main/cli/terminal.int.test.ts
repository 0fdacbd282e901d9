// Server-controlled bytes never reach the terminal raw, over real sockets: an XFR NS host with an ESC byte (the test
// server's redirect), a reply carrying a window-title sequence (a ten-line hostile server), and nicknames with C0 and
// C1 controls in the JSON output. Step lines, errors and --verbose show each control character as \xNN.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { ExitCode } from './exit-codes';
import { runCli } from './testing/run-cli';

const PW = 'eve-S3cret-pass';
const TITLE = '\x1b]0;PWNED\x07';
// Anything a terminal could take as a command: C0 but the line break, DEL, C1.
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let server: TestServer;
let hostile: Server;
let hostilePort = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = await startTestServer({
    accounts: [
      { email: 'eve@example.com', password: PW, contacts: [{ email: 'mallory@example.com', lists: ['FL', 'AL'], nickname: `Mal${TITLE}\u009b2J` }] },
      { email: 'mallory@example.com', password: 'x', nickname: `Mal${TITLE}\u009b2J` },
    ],
  });
  // MSNP7, then a USR answer that is neither S nor OK and carries a window-title sequence and a C1 CSI.
  hostile = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const [command, trid] = buffered.slice(0, end).split(' ');
        buffered = buffered.slice(end + 2);
        if (command === 'VER') socket.write(`VER ${trid} MSNP7\r\n`);
        if (command === 'USR') socket.write(`USR ${trid} MD5 X${TITLE}\u009b6n\r\n`);
      }
    });
  });
  hostilePort = await new Promise<number>((resolve) => hostile.listen(0, '127.0.0.1', () => resolve((hostile.address() as { port: number }).port)));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  hostile?.close();
  await server?.stop();
});

const expectPrintable = (...outputs: string[]) => {
  for (const text of outputs) expect(text).not.toMatch(RAW_CONTROL);
};

describe('terminal safety', () => {
  it('an XFR NS host with an ESC byte: refused, and shown escaped in the traffic and the error', async () => {
    server.setRedirects(1, 'ev\x1b[2Jil.example:1863');
    try {
      const r = await runCli(['check', '--verbose', '--server', `127.0.0.1:${server.ns.port}`, '--nexus', server.nexusUrl, '--email', 'eve@example.com', '--password-env', 'PW'], { PW });
      expect(r.code).toBe(ExitCode.protocol);
      expectPrintable(r.stdout, r.stderr);
      expect(r.stderr).toMatch(/^<< NS XFR \d+ NS ev\\x1b\[2Jil\.example:1863 0 /m);
      expect(r.stderr).toContain('failed: The server sent something Butterfly did not expect: a redirect to "ev\\u001b[2Jil.example:1863", which is not a host name or IP address with a port. [session.unexpected-reply]');
    } finally {
      server.setRedirects(0);
    }
  });

  it('a reply with a window-title sequence: the error and --verbose show \\xNN', async () => {
    const r = await runCli(['check', '--verbose', '--server', `127.0.0.1:${hostilePort}`, '--email', 'eve@example.com', '--password-env', 'PW'], { PW });
    expect(r.code).toBe(ExitCode.protocol);
    expectPrintable(r.stdout, r.stderr);
    expect(r.stderr).toMatch(/^<< NS USR 2 MD5 X\\x1b\]0;PWNED\\x07\\x9b6n$/m);
    expect(r.stderr).toContain('failed: The server sent something Butterfly did not expect: USR answered with "USR MD5 X\\x1b]0;PWNED\\x07\\x9b6n". [session.unexpected-reply]');
    // The step that failed names the server, which came from the flags, unchanged.
    expect(r.stdout).toMatch(new RegExp(`^authenticating +\\d+ ms  127\\.0\\.0\\.1:${hostilePort} \\(failed\\)$`, 'm'));
  });

  it('nicknames with control characters print as valid JSON that parses back to the same text', async () => {
    const r = await runCli(['contacts', '--server', `127.0.0.1:${server.ns.port}`, '--nexus', server.nexusUrl, '--email', 'eve@example.com', '--password-env', 'PW'], { PW });
    expect(r.code).toBe(ExitCode.ok);
    expectPrintable(r.stdout, r.stderr);
    expect(JSON.parse(r.stdout).contacts[0].nickname).toBe(`Mal${TITLE}\u009b2J`);
  });
});
