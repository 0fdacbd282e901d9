// Turns the CLI's options into the same ConnectionSettings the app stores, validated by the same rules. With neither
// --server nor --nexus, the server and its nexus are the app's saved ones (the configured server: so the CLI's account
// is the app's); otherwise, and for everything unset, the live network's defaults. The route (proxy, gateway) comes
// from the options alone: a saved proxy's password is sealed for the desktop app, out of the CLI's reach.
import {
  DEFAULT_CONNECTION_SETTINGS,
  describeRoute,
  parseProxyUrl,
  SettingsError,
  splitHostPort,
  validateConnectionSettings,
  type ConnectionSettings,
  type HostPort,
} from '../../src-shared/connection-settings';
import type { CliArgs } from './args';

export interface CliRoute {
  settings: ConnectionSettings;
  /** One line for people, without credentials. */
  description: string;
}

export function settingsFromArgs(
  args: Pick<CliArgs, 'server' | 'nexus' | 'proxy' | 'proxyPasswordEnv' | 'gateway'>,
  env: Record<string, string | undefined>,
  saved?: Pick<ConnectionSettings, 'server' | 'nexusUrl'>,
): ConnectionSettings {
  const configured = !args.server && !args.nexus && saved ? saved : DEFAULT_CONNECTION_SETTINGS;
  const settings: ConnectionSettings = {
    server: args.server ? parseHostPort(args.server, '--server', 1863) : { ...configured.server },
    nexusUrl: args.nexus ?? configured.nexusUrl,
    transport: 'direct',
    gateway: args.gateway ? parseHostPort(args.gateway, '--gateway', 80) : { ...DEFAULT_CONNECTION_SETTINGS.gateway },
  };
  if (args.proxy) {
    const { kind, proxy } = parseProxyUrl(args.proxy);
    if (args.proxyPasswordEnv) {
      const password = env[args.proxyPasswordEnv];
      if (password === undefined || password === '') throw new SettingsError(`The environment variable ${args.proxyPasswordEnv} (--proxy-password-env) is not set.`);
      proxy.password = password;
    }
    settings.transport = kind;
    settings.proxy = proxy;
  } else if (args.proxyPasswordEnv) {
    throw new SettingsError('--proxy-password-env needs --proxy.');
  }
  if (args.gateway) {
    if (settings.proxy && settings.transport !== 'http-proxy') throw new SettingsError('The HTTP gateway can only be reached through an HTTP proxy (http://…), not a SOCKS proxy.');
    settings.transport = 'gateway';
  }
  const problems = validateConnectionSettings(settings);
  if (problems.length > 0) throw new SettingsError(problems.map((p) => p.message).join(' '));
  return settings;
}

export function buildRoute(args: CliArgs, env: Record<string, string | undefined>, saved?: Pick<ConnectionSettings, 'server' | 'nexusUrl'>): CliRoute {
  const settings = settingsFromArgs(args, env, saved);
  return {
    settings,
    description: describeRoute(settings),
  };
}

function parseHostPort(text: string, option: string, defaultPort: number): HostPort {
  const hp = splitHostPort(text);
  if (!hp) throw new SettingsError(`${option} must be host or host:port.`);
  return { host: hp.host, port: hp.port ?? defaultPort };
}
