import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';
import type { ErrorCode } from '../../src-shared/errors';
import { exitCodeFor, ExitCode } from './exit-codes';

describe('parseArgs', () => {
  it('parses commands and options in both --x v and --x=v forms', () => {
    expect(parseArgs(['listen', '--seconds=2', '--server', '127.0.0.1:1863', '--verbose', '--password-env', 'PW'])).toMatchObject({
      command: 'listen',
      seconds: 2,
      server: '127.0.0.1:1863',
      verbose: true,
      passwordEnv: 'PW',
    });
    expect(parseArgs(['check']).passwordEnv).toBe('BUTTERFLY_PASSWORD');
  });
  it('refuses passwords in argv, unknown options and missing values', () => {
    expect(() => parseArgs(['check', '--password', 'x'])).toThrow(/--password-env/);
    expect(() => parseArgs(['check', '--proxy-password=x'])).toThrow(/process lists/);
    expect(() => parseArgs(['check', '--bogus'])).toThrow(/unknown option/);
    expect(() => parseArgs(['check', '--server'])).toThrow(/needs a value/);
    expect(() => parseArgs(['listen'])).toThrow(/--seconds/);
    expect(() => parseArgs(['listen', '--seconds', '-1'])).toThrow(/--seconds/);
    expect(() => parseArgs([])).toThrow(/no command/);
    expect(() => parseArgs(['frobnicate'])).toThrow(/unknown command/);
  });
});

describe('exitCodeFor', () => {
  it('tells auth, network and protocol failures apart', () => {
    const e = (code: ErrorCode) => exitCodeFor({ code, message: '', retryable: false });
    expect(e('auth.wrong-password')).toBe(ExitCode.auth);
    expect(e('auth.unknown-account')).toBe(ExitCode.auth);
    expect(e('transport.target-unreachable')).toBe(ExitCode.network);
    expect(e('session.timeout')).toBe(ExitCode.network);
    expect(e('session.protocol-mismatch')).toBe(ExitCode.protocol);
    expect(e('protocol.line-too-long')).toBe(ExitCode.protocol);
    expect(e('server.500')).toBe(ExitCode.protocol);
    expect(e('internal')).toBe(ExitCode.failure);
  });
});
