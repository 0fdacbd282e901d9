// `npm run cli -- <command>`: a headless client on the same messenger service the app uses, for people diagnosing a
// connection and for scripted tests. `main` takes argv/env/output as arguments so tests can call it in-process.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ButterflyError, toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { ConnectionState, MessengerEvent } from '../../src-shared/messenger-types';
import { resolveDataDir } from '../data-dir';
import { createMessengerService, type MessengerService } from '../service/messenger-service';
import { createFileListCache } from '../session/list-cache';
import { systemClock } from '../session/clock';
import type { SessionTimings } from '../session/connection-manager';
import { answerChallenge } from '../protocol/challenge';
import { parseArgs, USAGE, type CliArgs } from './args';
import { ExitCode, exitCodeFor } from './exit-codes';
import { presentEvent, presentList } from './present';
import { buildRoute } from './route';

export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Shorter intervals for tests. */
  timings?: Partial<SessionTimings>;
}

export async function main(io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(io.argv);
  } catch (error) {
    io.stderr(`${toErrorInfo(error).message}\n\n${USAGE}\n`);
    return ExitCode.usage;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return ExitCode.ok;
  }

  const email = args.email ?? io.env.BUTTERFLY_EMAIL;
  const password = io.env[args.passwordEnv];
  if (!email) return usageError(io, 'no account given: use --email ADDRESS (or set BUTTERFLY_EMAIL)');
  if (password === undefined || password === '') return usageError(io, `no password: put it in the environment variable ${args.passwordEnv} (or name another one with --password-env)`);

  let route;
  try {
    route = buildRoute(args, io.env);
  } catch (error) {
    return usageError(io, toErrorInfo(error).message);
  }

  const service = createMessengerService({
    transportFactory: route.transportFactory,
    httpClient: route.httpClient,
    clock: systemClock,
    listCache: createFileListCache(join(resolveDataDir({ env: io.env }), 'lists')),
    server: route.settings.server,
    nexusUrl: route.settings.nexusUrl,
    answerChallenge,
    timings: io.timings,
  });
  if (args.verbose) service.onTraffic((t) => io.stderr(`${t.direction === 'out' ? '>>' : '<<'} ${t.channel} ${t.line}${t.payloadBytes ? ` (+${t.payloadBytes} bytes)` : ''}\n`));

  try {
    switch (args.command) {
      case 'check':
        return await check(service, io, email, password, route.description);
      case 'contacts':
        await service.execute({ type: 'sign-in', email, password });
        io.stdout(`${JSON.stringify(presentList(service.snapshot().list), null, 2)}\n`);
        return ExitCode.ok;
      case 'listen':
        return await listen(service, io, email, password, args.seconds ?? 10);
    }
  } catch (error) {
    return failure(io, toErrorInfo(error));
  } finally {
    await service.execute({ type: 'sign-out' }).catch(() => undefined);
    await service.flush();
    service.dispose();
  }
}

async function check(service: MessengerService, io: CliIo, email: string, password: string, route: string): Promise<number> {
  const started = Date.now();
  let last = started;
  io.stdout(`route: ${route}\n`);
  const sub = service.onEvent((e) => {
    if (e.type !== 'connection-state') return;
    const now = Date.now();
    const line = describeState(e.state);
    if (line) io.stdout(`${line.padEnd(48)} +${now - last} ms\n`);
    last = now;
  });
  try {
    await service.execute({ type: 'sign-in', email, password });
  } finally {
    sub.dispose();
  }
  const list = service.snapshot().list;
  io.stdout(`ok: signed in and synced ${list.contacts.length} contacts in ${list.groups.length} groups, ${Date.now() - started} ms in all\n`);
  return ExitCode.ok;
}

async function listen(service: MessengerService, io: CliIo, email: string, password: string, seconds: number): Promise<number> {
  let ended: ErrorInfo | undefined;
  let stop: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stop = resolve));
  const print = (e: MessengerEvent) => io.stdout(`${JSON.stringify(presentEvent(e))}\n`);
  const sub = service.onEvent((e) => {
    print(e);
    if (e.type === 'connection-state' && e.state.kind === 'signed-out' && e.state.reason !== 'user') {
      ended = e.state.error ?? { code: 'session.signed-out', message: 'Signed out.', retryable: false };
      stop();
    }
  });
  try {
    await service.execute({ type: 'sign-in', email, password });
    const timer = setTimeout(stop, seconds * 1000);
    await done;
    clearTimeout(timer);
  } finally {
    sub.dispose();
  }
  return ended ? failure(io, ended) : ExitCode.ok;
}

function describeState(s: ConnectionState): string | undefined {
  switch (s.kind) {
    case 'connecting':
      return `${s.step} (${s.server})`;
    case 'connected':
      return `connected as ${s.email} with ${s.protocol} (${s.server})`;
    case 'reconnecting':
      return `reconnecting in ${s.inSeconds} s: ${s.error.message}`;
    case 'signed-out':
      return s.error ? `signed out: ${s.error.message}` : undefined;
  }
}

function failure(io: CliIo, error: ErrorInfo): number {
  const code = exitCodeFor(error);
  io.stderr(`failed: ${error.message} [${error.code}]\n`);
  return code;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`${message}\n`);
  return ExitCode.usage;
}

// Run when started as a script (tsx src-main/cli/main.ts), not when imported by a test.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main({ argv: process.argv.slice(2), env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then(
    (code) => {
      // Let stdout drain (process.exit could cut a piped JSON short); the unref'd timer only fires if a handle lingers.
      process.exitCode = code;
      setTimeout(() => process.exit(code), 2000).unref();
    },
    (error: unknown) => {
      process.stderr.write(`failed: ${error instanceof ButterflyError ? error.message : String(error)}\n`);
      process.exit(ExitCode.failure);
    },
  );
}
