import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_SETTINGS } from '../../src-shared/connection-settings';
import { buildRoute, settingsFromArgs } from './route';
import { parseArgs } from './args';

const settings = (argv: string[], env: Record<string, string> = {}) => settingsFromArgs(parseArgs(['check', ...argv]), env);
const refused = (argv: string[], env: Record<string, string> = {}) => {
  try {
    settings(argv, env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
};

describe('settingsFromArgs', () => {
  it('falls back to the live network defaults, direct', () => {
    expect(settings([])).toEqual({ ...DEFAULT_CONNECTION_SETTINGS, server: { ...DEFAULT_CONNECTION_SETTINGS.server }, gateway: { ...DEFAULT_CONNECTION_SETTINGS.gateway } });
    expect(settings([]).transport).toBe('direct');
    expect(settings([]).proxy).toBeUndefined();
  });

  it('takes --server host[:port] (1863 by default, IPv6 in brackets) and --nexus', () => {
    expect(settings(['--server', 'ns.example.org']).server).toEqual({ host: 'ns.example.org', port: 1863 });
    expect(settings(['--server', '127.0.0.1:5555']).server).toEqual({ host: '127.0.0.1', port: 5555 });
    expect(settings(['--server', '[::1]:5555']).server).toEqual({ host: '::1', port: 5555 });
    expect(settings(['--nexus', 'http://127.0.0.1:8080/rdr/pprdr.asp']).nexusUrl).toBe('http://127.0.0.1:8080/rdr/pprdr.asp');
  });

  it("without --server or --nexus, the app's configured server and its nexus; either option, the live defaults for the rest", () => {
    const saved = { server: { host: '127.0.0.1', port: 40001 }, nexusUrl: 'http://127.0.0.1:40003/rdr/pprdr.asp' };
    const withSaved = (argv: string[]) => settingsFromArgs(parseArgs(['check', ...argv]), {}, saved);
    expect(withSaved([])).toMatchObject({ server: saved.server, nexusUrl: saved.nexusUrl, transport: 'direct' });
    expect(withSaved(['--server', 'ns.example.org'])).toMatchObject({ server: { host: 'ns.example.org', port: 1863 }, nexusUrl: DEFAULT_CONNECTION_SETTINGS.nexusUrl });
    expect(withSaved(['--nexus', 'https://n.example/rdr'])).toMatchObject({ server: DEFAULT_CONNECTION_SETTINGS.server, nexusUrl: 'https://n.example/rdr' });
    // The route is the options' alone: no saved proxy is used.
    expect(withSaved(['--proxy', 'socks5://127.0.0.1:1080'])).toMatchObject({ server: saved.server, transport: 'socks5' });
  });

  it('refuses bad host:port values and nexus URLs', () => {
    expect(refused(['--server', 'host:port'])).toMatch(/--server must be host or host:port/);
    expect(refused(['--server', 'a:1:2'])).toMatch(/--server/);
    expect(refused(['--server', '127.0.0.1:0'])).toMatch(/port must be a whole number from 1 to 65535/);
    expect(refused(['--server', '127.0.0.1:70000'])).toMatch(/port must be a whole number/);
    expect(refused(['--server', 'bad host'])).toMatch(/not a valid MSN server host/);
    expect(refused(['--gateway', 'gw:x'])).toMatch(/--gateway must be host or host:port/);
    expect(refused(['--nexus', 'm1.escargot.chat/nexus-mock'])).toMatch(/full http:\/\/ or https:\/\/ URL/);
  });

  it('maps each proxy URL kind to its transport', () => {
    expect(settings(['--proxy', 'socks4://127.0.0.1:1080'])).toMatchObject({ transport: 'socks4', proxy: { host: '127.0.0.1', port: 1080 } });
    expect(settings(['--proxy', 'socks4a://someone@proxy.example:1080'])).toMatchObject({ transport: 'socks4a', proxy: { host: 'proxy.example', port: 1080, username: 'someone' } });
    expect(settings(['--proxy', 'socks5://u:p%40ss@[::1]:1080'])).toMatchObject({ transport: 'socks5', proxy: { host: '::1', port: 1080, username: 'u', password: 'p@ss' } });
    expect(settings(['--proxy', 'http://proxy.example:3128'])).toMatchObject({ transport: 'http-proxy', proxy: { host: 'proxy.example', port: 3128 } });
  });

  it('refuses proxy URLs it cannot use, without echoing a password', () => {
    expect(refused(['--proxy', 'ftp://proxy:21'])).toMatch(/Unknown proxy kind "ftp:\/\/"/);
    expect(refused(['--proxy', 'socks5://proxy'])).toMatch(/Add the proxy port/);
    const message = refused(['--proxy', 'socks4://u:hunter2@proxy:1080']);
    expect(message).toMatch(/SOCKS4 proxies have no passwords/);
    expect(message).not.toContain('hunter2');
  });

  it('reads the proxy password from --proxy-password-env, which wins over one in the URL', () => {
    expect(settings(['--proxy', 'socks5://u@127.0.0.1:1080', '--proxy-password-env', 'PPW'], { PPW: 's3cret' }).proxy).toEqual({ host: '127.0.0.1', port: 1080, username: 'u', password: 's3cret' });
    expect(settings(['--proxy', 'http://u:old@127.0.0.1:3128', '--proxy-password-env', 'PPW'], { PPW: 'new' }).proxy?.password).toBe('new');
    expect(refused(['--proxy', 'socks5://u@127.0.0.1:1080', '--proxy-password-env', 'PPW'])).toMatch(/PPW \(--proxy-password-env\) is not set/);
    expect(refused(['--proxy', 'socks5://u@127.0.0.1:1080', '--proxy-password-env', 'PPW'], { PPW: '' })).toMatch(/is not set/);
    expect(refused(['--proxy-password-env', 'PPW'], { PPW: 'x' })).toMatch(/--proxy-password-env needs --proxy/);
    expect(refused(['--proxy', 'socks5://127.0.0.1:1080', '--proxy-password-env', 'PPW'], { PPW: 'x' })).toMatch(/password is set without a user name/);
    expect(refused(['--proxy', 'socks4://u@127.0.0.1:1080', '--proxy-password-env', 'PPW'], { PPW: 'x' })).toMatch(/SOCKS4 proxies have no passwords/);
  });

  it('--gateway: direct, or behind an HTTP proxy; port 80 by default', () => {
    expect(settings(['--gateway', 'gw.example'])).toMatchObject({ transport: 'gateway', gateway: { host: 'gw.example', port: 80 } });
    expect(settings(['--gateway', 'gw.example']).proxy).toBeUndefined();
    expect(settings(['--gateway', '127.0.0.1:8080', '--proxy', 'http://u@127.0.0.1:3128', '--proxy-password-env', 'PPW'], { PPW: 'p' })).toMatchObject({
      transport: 'gateway',
      gateway: { host: '127.0.0.1', port: 8080 },
      proxy: { host: '127.0.0.1', port: 3128, username: 'u', password: 'p' },
    });
  });

  it('refuses the gateway behind a SOCKS proxy', () => {
    for (const scheme of ['socks4', 'socks4a', 'socks5']) expect(refused(['--gateway', 'gw.example', '--proxy', `${scheme}://127.0.0.1:1080`])).toMatch(/only be reached through an HTTP proxy/);
  });
});

describe('buildRoute', () => {
  it('describes the route without the user name or password', () => {
    const route = buildRoute(parseArgs(['check', '--server', '127.0.0.1:1863', '--proxy', 'socks5://alice:hunter2@127.0.0.1:1080']), {});
    expect(route.description).toBe('SOCKS5 proxy 127.0.0.1:1080 with a user name to 127.0.0.1:1863');
    expect(route.settings.transport).toBe('socks5');
  });
});
