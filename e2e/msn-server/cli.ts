// `npm run test-server -- [--port N] [--demo]`: runs the test server in the foreground, prints how to sign in,
// and stops cleanly on Ctrl-C. Passwords are printed only for the built-in test/demo accounts (public test
// values); for accounts from a file the password is never shown.
import { loadAccountsFile } from './accounts';
import { parseCliArgs, USAGE } from './cli-args';
import { defaultTestAccounts, demoAccounts, DEMO_BOT_EMAIL, startTestServer, type AccountSpec } from './index';

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  let accounts: AccountSpec[] | undefined;
  if (args.accountsFile) accounts = loadAccountsFile(args.accountsFile);
  const server = await startTestServer({ ...args.options, accounts });
  const shown = accounts ?? (args.options.demo ? demoAccounts() : defaultTestAccounts());
  const fromFile = accounts !== undefined;
  const lines = [
    'Butterfly MSN test server is running (loopback only).',
    '',
    `  Notification server  ${server.ns.host}:${server.ns.port}   (MSNP2–8; MSNP8 uses Passport/TWN, MSNP2–7 MD5)`,
    `  Switchboard          ${server.sb.host}:${server.sb.port}`,
    `  Passport nexus       ${server.nexusUrl}`,
    `  HTTP gateway         ${server.gateway.url}`,
    '',
    'Sign in with:',
    ...shown
      .filter((a) => a.email !== DEMO_BOT_EMAIL)
      .map((a) => `  ${a.email.padEnd(28)} ${fromFile ? '(password from your file)' : `password ${a.password}`}`),
    ...(args.options.demo ? ['', `The demo bot (${DEMO_BOT_EMAIL}) is on every list: open a chat and say "help".`] : []),
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  const stop = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`test-server: ${(e as Error).message}`);
  process.exit(2);
});
