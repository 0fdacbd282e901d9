// Command-line arguments of `npm run test-server -- …`, parsed into start options or a clear error.
import type { TestServerOptions } from './index';

export interface CliArgs {
  options: TestServerOptions;
  accountsFile?: string;
  help: boolean;
}

export class CliArgsError extends Error {
  readonly code = 'CLI_ARGS_INVALID';
}

export const USAGE = `Usage: npm run test-server -- [options]
  --port N          notification server port (default 1863); the switchboard gets N+1 and HTTP N+2
  --sb-port N       switchboard port
  --http-port N     HTTP port (Passport nexus + login, gateway)
  --demo            demo accounts and the demo bot contact
  --accounts FILE   accounts from a JSON file (an array of accounts, or { "accounts": [...] })
  --challenges      send CHL challenges and check QRY answers
  --versions LIST   MSNP versions to speak, e.g. 12,11,8 (default 8..2; with --demo 12..2)
  --login-burst     after USR OK send what current Escargot does (SBS 0 null, the profile MSG)
  --sb-idle-ms N    switchboard idle timeout
  --help            this text`;

function port(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0 || n > 65535) throw new CliArgsError(`${flag} needs a port number 0-65535, got ${value ?? 'nothing'}`);
  return n;
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const options: TestServerOptions = {};
  let accountsFile: string | undefined;
  let help = false;
  let base: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--port':
        base = port(a, argv[++i]);
        break;
      case '--sb-port':
        options.sbPort = port(a, argv[++i]);
        break;
      case '--http-port':
        options.httpPort = port(a, argv[++i]);
        break;
      case '--demo':
        options.demo = true;
        break;
      case '--challenges':
        options.challenges = true;
        break;
      case '--accounts':
        accountsFile = argv[++i];
        if (!accountsFile) throw new CliArgsError('--accounts needs a file path');
        break;
      case '--versions': {
        const list = (argv[++i] ?? '').split(',').map(Number);
        if (list.length === 0 || !list.every((v) => Number.isInteger(v) && v >= 2 && v <= 12)) throw new CliArgsError('--versions needs a comma-separated list of 2..12');
        options.versions = list;
        break;
      }
      case '--login-burst':
        options.loginBurst = true;
        break;
      case '--sb-idle-ms': {
        const n = Number(argv[++i]);
        if (!Number.isInteger(n) || n < 0) throw new CliArgsError('--sb-idle-ms needs a non-negative integer');
        options.sbIdleTimeoutMs = n;
        break;
      }
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new CliArgsError(`unknown argument ${a}\n${USAGE}`);
    }
  }
  const ns = base ?? 1863;
  options.nsPort = ns;
  options.sbPort ??= ns === 0 ? 0 : ns + 1;
  options.httpPort ??= ns === 0 ? 0 : ns + 2;
  return { options, accountsFile, help };
}
