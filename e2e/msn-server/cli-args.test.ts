import { describe, expect, it } from 'vitest';
import { CliArgsError, parseCliArgs } from './cli-args';

describe('test-server arguments', () => {
  it('defaults to 1863/1864/1865 and derives SB and HTTP ports from --port', () => {
    expect(parseCliArgs([]).options).toMatchObject({ nsPort: 1863, sbPort: 1864, httpPort: 1865 });
    expect(parseCliArgs(['--port', '2000', '--demo']).options).toMatchObject({ nsPort: 2000, sbPort: 2001, httpPort: 2002, demo: true });
    expect(parseCliArgs(['--port', '0']).options).toMatchObject({ nsPort: 0, sbPort: 0, httpPort: 0 });
    expect(parseCliArgs(['--port', '2000', '--http-port', '8080']).options.httpPort).toBe(8080);
  });

  it('reads the other switches', () => {
    const a = parseCliArgs(['--accounts', 'x.json', '--challenges', '--sb-idle-ms', '500', '--help']);
    expect(a).toMatchObject({ accountsFile: 'x.json', help: true, options: { challenges: true, sbIdleTimeoutMs: 500 } });
    expect(parseCliArgs(['--versions', '12,11,8', '--login-burst']).options).toMatchObject({ versions: [12, 11, 8], loginBurst: true });
  });

  it('rejects bad input with a clear error', () => {
    expect(() => parseCliArgs(['--port'])).toThrow(CliArgsError);
    expect(() => parseCliArgs(['--port', '70000'])).toThrow(/port number/);
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(/unknown argument --frobnicate/);
    expect(() => parseCliArgs(['--accounts'])).toThrow(/file path/);
    expect(() => parseCliArgs(['--sb-idle-ms', '-1'])).toThrow(/non-negative/);
    expect(() => parseCliArgs(['--versions', '8,13'])).toThrow(/2\.\.12/);
    expect(() => parseCliArgs(['--versions'])).toThrow(/2\.\.12/);
  });
});
