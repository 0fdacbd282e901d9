import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONNECTION_SETTINGS,
  describeRoute,
  isHostNameOrIp,
  splitHostPort,
  formatProxyUrl,
  parseProxyUrl,
  SettingsError,
  validateConnectionSettings,
  type ConnectionSettings,
} from './connection-settings';

const base = (over: Partial<ConnectionSettings> = {}): ConnectionSettings => ({ ...DEFAULT_CONNECTION_SETTINGS, ...over });
const fields = (s: ConnectionSettings) => validateConnectionSettings(s).map((e) => e.field);

describe('validateConnectionSettings', () => {
  it('accepts the defaults (the live Escargot network)', () => {
    expect(DEFAULT_CONNECTION_SETTINGS.server).toEqual({ host: 'm1.escargot.chat', port: 1863 });
    expect(validateConnectionSettings(DEFAULT_CONNECTION_SETTINGS)).toEqual([]);
  });

  it('reports bad ports and hosts per field, in plain words', () => {
    const errors = validateConnectionSettings(base({ server: { host: '', port: 70000 } }));
    expect(errors).toEqual([
      { field: 'server.host', problem: 'host-empty', message: 'Enter the MSN server host name or address.' },
      { field: 'server.port', problem: 'port-range', message: 'The MSN server port must be a whole number from 1 to 65535.' },
    ]);
    expect(fields(base({ server: { host: 'msn example', port: 1863 } }))).toEqual(['server.host']);
    expect(validateConnectionSettings(base({ server: { host: 'ms.example:1863', port: 1863 } }))[0].message).toBe('Enter the MSN server port in the port field, not after the host.');
    expect(validateConnectionSettings(base({ server: { host: 'tcp://ms.example', port: 1863 } }))[0]).toMatchObject({ problem: 'host-scheme', message: 'Enter only the MSN server host name, without "tcp://".' });
    expect(fields(base({ server: { host: 'ms.example', port: 1.5 } }))).toEqual(['server.port']);
    expect(fields(base({ server: { host: '::1', port: 1863 } }))).toEqual([]);
    expect(fields(base({ server: { host: '192.168.0.10', port: 1863 } }))).toEqual([]);
  });

  it('checks the nexus URL', () => {
    expect(fields(base({ nexusUrl: '' }))).toEqual(['nexusUrl']);
    expect(fields(base({ nexusUrl: 'nexus.example/rdr' }))).toEqual(['nexusUrl']);
    expect(fields(base({ nexusUrl: 'http://127.0.0.1:99999/rdr' }))).toEqual(['nexusUrl']);
    expect(fields(base({ nexusUrl: 'http://127.0.0.1:8080/rdr/pprdr.asp' }))).toEqual([]);
  });

  it('needs a proxy for proxy kinds, and rejects credentials with "direct"', () => {
    expect(validateConnectionSettings(base({ transport: 'socks5' }))).toEqual([{ field: 'proxy', problem: 'proxy-missing', message: 'A SOCKS5 connection needs a proxy address.' }]);
    expect(fields(base({ transport: 'direct', proxy: { host: '', port: 0, username: 'u' } }))).toEqual(['proxy.username']);
    expect(fields(base({ transport: 'http-proxy', proxy: { host: 'p', port: 0 } }))).toEqual(['proxy.port']);
    expect(fields(base({ transport: 'socks5', proxy: { host: 'p', port: 1080, password: 'x' } }))).toEqual(['proxy.username']);
  });

  it('knows what each proxy kind can carry', () => {
    expect(fields(base({ transport: 'socks4', proxy: { host: 'p', port: 1080, username: 'id', password: 'x' } }))).toEqual(['proxy.password']);
    expect(fields(base({ transport: 'socks4a', proxy: { host: 'p', port: 1080, username: 'id' } }))).toEqual([]);
    expect(fields(base({ transport: 'socks5', proxy: { host: 'p', port: 1080, username: 'u'.repeat(256), password: 'x' } }))).toEqual(['proxy.username']);
    expect(fields(base({ transport: 'http-proxy', proxy: { host: 'p', port: 3128, username: 'a:b', password: 'x' } }))).toEqual(['proxy.username']);
    expect(fields(base({ transport: 'http-proxy', proxy: { host: 'p', port: 3128, username: 'a', password: 'x\r\nX: y' } }))).toEqual(['proxy.password']);
  });

  it('checks the gateway only when it is used, and allows an HTTP proxy in front of it', () => {
    expect(fields(base({ gateway: { host: '', port: 0 } }))).toEqual([]);
    expect(fields(base({ transport: 'gateway', gateway: { host: '', port: 0 } }))).toEqual(['gateway.host', 'gateway.port']);
    expect(fields(base({ transport: 'gateway', proxy: { host: 'p', port: 3128, username: 'u', password: 'x' } }))).toEqual([]);
  });

  it('rejects an unknown kind', () => {
    expect(fields(base({ transport: 'carrier-pigeon' as never }))).toEqual(['transport']);
  });
});

describe('parseProxyUrl', () => {
  it('parses each scheme', () => {
    expect(parseProxyUrl('socks4://127.0.0.1:1080')).toEqual({ kind: 'socks4', proxy: { host: '127.0.0.1', port: 1080 } });
    expect(parseProxyUrl('socks4a://me@proxy.example:1080')).toEqual({ kind: 'socks4a', proxy: { host: 'proxy.example', port: 1080, username: 'me' } });
    expect(parseProxyUrl('socks5://alice:s%3Acr%40t@[::1]:1080')).toEqual({ kind: 'socks5', proxy: { host: '::1', port: 1080, username: 'alice', password: 's:cr@t' } });
    expect(parseProxyUrl('http://bob:pw@proxy.example:3128/')).toEqual({ kind: 'http-proxy', proxy: { host: 'proxy.example', port: 3128, username: 'bob', password: 'pw' } });
    expect(parseProxyUrl(' SOCKS5://h:1 ')).toEqual({ kind: 'socks5', proxy: { host: 'h', port: 1 } });
    expect(parseProxyUrl('socks5://alice:@h:1')).toEqual({ kind: 'socks5', proxy: { host: 'h', port: 1, username: 'alice', password: '' } });
  });

  it('throws a SettingsError that never repeats the password', () => {
    const bad = ['socks6://h:1', 'socks5://h', 'socks5://h:0', 'socks5://h:99999', 'socks5://h:abc', 'h:1080', 'socks4://u:hunter2@h:1080', 'socks5://u:%zzhunter2@h:1', 'socks5://:1080', 'http://a:hunter2@h h:1'];
    for (const text of bad) {
      const error = (() => {
        try {
          parseProxyUrl(text);
        } catch (e) {
          return e;
        }
      })();
      expect(error, text).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).code).toBe('settings.invalid');
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => parseProxyUrl('socks5://h')).toThrow('Add the proxy port, e.g. socks5://h:1080.');
  });

  it('formats back without the password', () => {
    expect(formatProxyUrl('socks5', { host: '::1', port: 1080, username: 'al ice', password: 'hunter2' })).toBe('socks5://al%20ice@[::1]:1080');
    expect(formatProxyUrl('http-proxy', { host: 'p', port: 3128 })).toBe('http://p:3128');
  });
});

describe('describeRoute', () => {
  it('names the route without credentials', () => {
    const proxy = { host: '127.0.0.1', port: 1080, username: 'alice', password: 'hunter2' };
    expect(describeRoute(base())).toBe('direct to m1.escargot.chat:1863');
    const socks = describeRoute(base({ transport: 'socks5', proxy }));
    expect(socks).toBe('SOCKS5 proxy 127.0.0.1:1080 with a user name to m1.escargot.chat:1863');
    expect(describeRoute(base({ transport: 'http-proxy', proxy }))).toBe('HTTP proxy 127.0.0.1:1080 with a user name to m1.escargot.chat:1863');
    expect(describeRoute(base({ transport: 'gateway', proxy }))).toBe('HTTP gateway m1.escargot.chat:80 via HTTP proxy 127.0.0.1:1080 with a user name');
    for (const text of [socks]) expect(text).not.toMatch(/hunter2|alice/);
  });
});

describe('splitHostPort', () => {
  it('reads host, host:port and [IPv6]:port, and nothing else', () => {
    expect(splitHostPort('m1.escargot.chat')).toEqual({ host: 'm1.escargot.chat', port: undefined });
    expect(splitHostPort(' 127.0.0.1:1863 ')).toEqual({ host: '127.0.0.1', port: 1863 });
    expect(splitHostPort('[::1]:1864')).toEqual({ host: '::1', port: 1864 });
    expect(splitHostPort('::1:1863')).toBeUndefined();
    expect(splitHostPort('host:port')).toBeUndefined();
    expect(splitHostPort('')).toBeUndefined();
  });
});

describe('isHostNameOrIp', () => {
  it('takes DNS names and IP literals, nothing else', () => {
    for (const ok of ['m1.escargot.chat', 'localhost', 'ns-2.example.org.', '207.46.106.118', '::1', '::', '2001:db8::8a2e:370:7334', '1:2:3:4:5:6:7:8', '::ffff:127.0.0.1'])
      expect(isHostNameOrIp(ok), ok).toBe(true);
    for (const bad of ['', 'ho\x1bst', 'evil host', 'a/b', 'user@host', '-x.example', ':', ':::', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', '::ffff:999.0.0.1', 'fe80::1%eth0', '[::1]', 'x'.repeat(254)])
      expect(isHostNameOrIp(bad), JSON.stringify(bad)).toBe(false);
  });
});
