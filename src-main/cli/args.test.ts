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

describe('parseArgs: send', () => {
  it('takes an address and one text, options anywhere, -- before a text that looks like an option', () => {
    expect(parseArgs(['send', 'bob@example.com', 'hi there', '--email', 'a@example.com'])).toMatchObject({ command: 'send', to: 'bob@example.com', text: 'hi there', email: 'a@example.com' });
    expect(parseArgs(['send', '--seconds', '5', 'bob@example.com', '--', '-) wink'])).toMatchObject({ to: 'bob@example.com', text: '-) wink', seconds: 5 });
    expect(parseArgs(['send', 'bob@example.com', '--', '--verbose'])).toMatchObject({ text: '--verbose', verbose: false });
  });
  it('refuses a missing address or text, and a text in several pieces', () => {
    expect(() => parseArgs(['send'])).toThrow(/send ADDRESS TEXT/);
    expect(() => parseArgs(['send', 'bob@example.com'])).toThrow(/send ADDRESS TEXT/);
    expect(() => parseArgs(['send', 'bob@example.com', 'hi', 'there'])).toThrow(/quotes/);
    expect(() => parseArgs(['check', 'extra'])).toThrow(/unexpected argument extra/);
  });
});

describe('parseArgs: set-psm, set-media', () => {
  it('takes one text ("" clears), and refuses none or several', () => {
    expect(parseArgs(['set-psm', 'fish & chips', '--email', 'a@example.com'])).toMatchObject({ command: 'set-psm', value: 'fish & chips' });
    expect(parseArgs(['set-media', 'Daft Punk - One More Time'])).toMatchObject({ command: 'set-media', value: 'Daft Punk - One More Time' });
    expect(parseArgs(['set-psm', ''])).toMatchObject({ command: 'set-psm', value: '' });
    expect(() => parseArgs(['set-psm'])).toThrow(/one text/);
    expect(() => parseArgs(['set-media', 'a', 'b'])).toThrow(/quotes/);
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
