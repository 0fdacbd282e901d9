// Turns the CLI's options into the same ConnectionSettings the app stores, validated by the same rules. Unset
// options fall back to the live network's defaults.
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

export function settingsFromArgs(args: Pick<CliArgs, 'server' | 'nexus' | 'proxy' | 'proxyPasswordEnv' | 'gateway'>, env: Record<string, string | undefined>): ConnectionSettings {
  const settings: ConnectionSettings = {
    server: args.server ? parseHostPort(args.server, '--server', 1863) : { ...DEFAULT_CONNECTION_SETTINGS.server },
    nexusUrl: args.nexus ?? DEFAULT_CONNECTION_SETTINGS.nexusUrl,
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

export function buildRoute(args: CliArgs, env: Record<string, string | undefined>): CliRoute {
  const settings = settingsFromArgs(args, env);
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
