// Command-line arguments: no secrets ever come from argv (they would show up in `ps` and shell history), only the
// names of environment variables that hold them.
import { DEFAULT_CONNECTION_SETTINGS as DEFAULTS, formatHostPort } from '../../src-shared/connection-settings';
import { ButterflyError } from '../../src-shared/errors';

export type CliCommand = 'check' | 'contacts' | 'listen' | 'send' | 'history' | 'set-psm' | 'set-media';

export interface CliArgs {
  command: CliCommand;
  server?: string;
  nexus?: string;
  email?: string;
  passwordEnv: string;
  proxy?: string;
  proxyPasswordEnv?: string;
  gateway?: string;
  verbose: boolean;
  seconds?: number;
  /** send: to whom, and what (as typed: main checks both). */
  to?: string;
  text?: string;
  /** history: with whom, what to look for, how many messages at most. */
  contact?: string;
  search?: string;
  limit?: number;
  /** set-psm: the personal message; set-media: "Artist - Title" (both as typed; '' clears). */
  value?: string;
  help: boolean;
}

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  check                     sign in through the configured route, printing each step and how long it took
  contacts                  sign in and print the contact list and groups as JSON (names decoded)
  listen --seconds N        sign in and print events as JSON lines for N seconds or until Ctrl-C (names decoded):
                            presence, list changes, and conversations — messages, typing, nudges, people
                            joining and leaving; invitations to a conversation are answered
  send ADDRESS TEXT         sign in, send TEXT to ADDRESS and wait (at most --seconds N, default 60) until the
                            server confirms it: exit 0 only when delivered, 1 with its state and why otherwise
                            (quote TEXT; put -- before a TEXT that starts with -)
  set-psm TEXT              sign in and set your personal message (MSNP11+; "" clears it, though the server may
                            keep the old one for your contacts)
  set-media "Artist - Title"  sign in and say what you are playing (MSNP11+; "" stops it)
  history ADDRESS           print the messages stored with ADDRESS as JSON lines, the newest --limit N (default
                            50) oldest first; with --search TEXT the matches, newest first. No sign-in, no
                            password: it reads the local history of the account (--email, --server)

Options:
  --email ADDRESS           the account's address (or set BUTTERFLY_EMAIL); with --server, the account
  --password-env VAR        environment variable holding its password (default BUTTERFLY_PASSWORD);
                            passwords are never accepted on the command line
  --server host[:port]      notification server, the account's server (default: the one in Butterfly's saved
                            settings, else ${formatHostPort(DEFAULTS.server)})
  --nexus URL               Passport nexus (default: the saved one when --server is not given, else
                            ${DEFAULTS.nexusUrl})
  --proxy URL               socks4://host:port, socks4a://[user@]host:port, socks5://[user[:pass]@]host:port,
                            http://[user[:pass]@]host:port
  --proxy-password-env VAR  environment variable holding the proxy password (safer than :pass in --proxy)
  --gateway host[:port]     use the MSN HTTP gateway (port 80 by default), directly or via an http:// proxy
  --verbose                 print the protocol traffic on stderr (passwords and tickets redacted)
  --help                    this text

Exit codes: 0 ok, 1 other failure (send: not delivered), 2 usage, 3 sign-in refused (account or password), 4 network (server, proxy
or Passport unreachable, timeouts), 5 protocol (the server said something unexpected), 130 interrupted.

Example:
  BUTTERFLY_PASSWORD=… npm run cli -- check --email me@example.com --proxy socks5://me@127.0.0.1:1080 \\
    --proxy-password-env PROXY_PASSWORD`;

const usage = (message: string) => new ButterflyError('cli.usage', message);
const COMMANDS: ReadonlySet<string | undefined> = new Set<CliCommand>(['check', 'contacts', 'listen', 'send', 'history', 'set-psm', 'set-media']);
const isCommand = (c: string | undefined): c is CliCommand => COMMANDS.has(c);
const MAX_HISTORY_LIMIT = 100_000;

const VALUE_OPTIONS: Record<string, keyof CliArgs> = {
  '--server': 'server',
  '--nexus': 'nexus',
  '--email': 'email',
  '--password-env': 'passwordEnv',
  '--proxy': 'proxy',
  '--proxy-password-env': 'proxyPasswordEnv',
  '--gateway': 'gateway',
  '--seconds': 'seconds',
  '--search': 'search',
  '--limit': 'limit',
};

export function parseArgs(argv: string[]): CliArgs {
  const out: Partial<CliArgs> & { verbose: boolean; help: boolean; passwordEnv: string } = { verbose: false, help: false, passwordEnv: 'BUTTERFLY_PASSWORD' };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (raw === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    if (name === '--verbose') out.verbose = true;
    else if (name === '--help' || name === '-h') out.help = true;
    else if (name === '--password' || name === '--proxy-password')
      throw usage(`${name} is not accepted: passwords on the command line leak into process lists; use ${name}-env VAR`);
    else if (name in VALUE_OPTIONS) {
      const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw usage(`${name} needs a value`);
      const key = VALUE_OPTIONS[name];
      if (key === 'seconds') {
        const n = Number(value);
        if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw usage('--seconds must be a number of seconds between 0 and 86400');
        out.seconds = n;
      } else if (key === 'limit') {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > MAX_HISTORY_LIMIT) throw usage(`--limit must be a whole number from 1 to ${MAX_HISTORY_LIMIT}`);
        out.limit = n;
      } else (out as Record<string, unknown>)[key] = value;
    } else if (name.startsWith('-') && name !== '-') throw usage(`unknown option ${name}`);
    else positional.push(raw);
  }
  const [command, ...rest] = positional;
  if (out.help) return { ...out, command: (command as CliCommand) ?? 'check' };
  if (!isCommand(command)) throw usage(command ? `unknown command ${command}` : 'no command given');
  if (command !== 'history' && (out.search !== undefined || out.limit !== undefined)) throw usage('--search and --limit go with history');
  if (command === 'history') {
    if (rest.length !== 1) throw usage('history needs one address: history ADDRESS [--search TEXT] [--limit N]');
    return { ...out, command, contact: rest[0] };
  }
  if (command === 'set-psm' || command === 'set-media') {
    if (rest.length !== 1) throw usage(`${command} takes one text: put it in quotes ("…"); "" clears it`);
    return { ...out, command, value: rest[0] };
  }
  if (command === 'send') {
    if (rest.length < 2) throw usage('send needs an address and a text: send ADDRESS TEXT');
    if (rest.length > 2) throw usage('send takes one text: put it in quotes ("…")');
    return { ...out, command, to: rest[0], text: rest[1] };
  }
  if (rest.length > 0) throw usage(`unexpected argument ${rest[0]}`);
  if (command === 'listen' && out.seconds === undefined) throw usage('listen needs --seconds N');
  return { ...out, command };
}
