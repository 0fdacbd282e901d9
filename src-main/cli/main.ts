// `npm run cli -- <command>`: a headless client on the same messenger service the app uses — the same service calls,
// the same accounts, list caches and conversation code — for people diagnosing a connection, sending a message from
// a script, and for scripted tests. `main` takes argv/env/output as arguments so tests can call it in-process. What
// the person typed is checked here, at this boundary, with the contract's own schemas.
import * as v from 'valibot';
import { pathToFileURL } from 'node:url';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { DEFAULT_CONNECTION_SETTINGS, type HostPort } from '../../src-shared/connection-settings';
import { messageTextSchema, type DeliveryState } from '../../src-shared/conversation-types';
import { emailAddressSchema, type AccountId, type MessengerEvent } from '../../src-shared/messenger-types';
import { nowPlayingSchema, parseNowPlaying, personalMessageSchema } from '../../src-shared/personal-status';
import { resolveDataDir } from '../shell/data-dir';
import type { MessengerService } from '../service/messenger-service';
import { createAppService } from '../shell/app-service';
import { readSavedSettings } from '../settings/settings-store';
import { testConnection } from '../session/connection-check';
import type { SessionTimings } from '../session/connection-manager';
import { parseArgs, USAGE, type CliArgs } from './args';
import { ExitCode, exitCodeFor } from './exit-codes';
import { formatOutcome, formatRouteCheck, formatTraffic, presentEvent, presentList, StepPrinter, type MessageOutcome } from './present';
import { buildRoute, settingsFromArgs, type CliRoute } from './route';
import { printHistory } from './history-command';
import { printable, printableJson, printableOutput } from './terminal-text';

export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Ctrl-C: ends `listen` normally, cancels a sign-in in progress. */
  signal?: AbortSignal;
  /** Shorter intervals for tests. */
  timings?: Partial<SessionTimings>;
}

interface Run {
  service: MessengerService;
  io: CliIo;
  route: CliRoute;
  /** Signs in; resolves with the account's id once connected. */
  signIn(): Promise<AccountId>;
}

export async function main(terminalIo: CliIo): Promise<number> {
  // Server text (names, replies, errors) can carry terminal escape sequences: nothing is printed raw.
  const io = printableOutput(terminalIo);
  const args = parseOrReport(io);
  if (!args) return ExitCode.usage;
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return ExitCode.ok;
  }

  const email = args.email ?? io.env.BUTTERFLY_EMAIL;
  const password = io.env[args.passwordEnv];
  if (!email) return usageError(io, 'no account given: use --email ADDRESS (or set BUTTERFLY_EMAIL)');
  if (!v.is(emailAddressSchema, email.trim())) return usageError(io, `--email must be an e-mail address (name@example.com), not "${email}"`);
  if (args.command === 'history') return history(io, args, email.trim());
  if (password === undefined || password === '') return usageError(io, `no password: put it in the environment variable ${args.passwordEnv} (or name another one with --password-env VAR)`);
  if (args.command === 'set-psm' || args.command === 'set-media') {
    const checked = args.command === 'set-psm' ? v.safeParse(personalMessageSchema, args.value) : args.value?.trim() ? v.safeParse(nowPlayingSchema, parseNowPlaying(args.value)) : undefined;
    if (checked && !checked.success) return usageError(io, `${args.command}: ${checked.issues[0].path?.map((p) => p.key).join('.') ?? 'the text'} ${checked.issues[0].message}`);
  }
  if (args.command === 'send') {
    if (!v.is(emailAddressSchema, args.to?.trim())) return usageError(io, `send: "${args.to}" is not an e-mail address (name@example.com)`);
    const text = v.safeParse(messageTextSchema, args.text);
    if (!text.success) return usageError(io, `send: the text ${text.issues[0].message}`);
  }

  const dataDir = resolveDataDir({ env: io.env });
  // The app's configured server is the default (read only: the CLI never changes the app's files).
  const saved = await readSavedSettings(dataDir).catch(() => undefined);
  let route: CliRoute;
  try {
    route = buildRoute(args, io.env, saved);
  } catch (error) {
    return usageError(io, toErrorInfo(error).message);
  }

  // The same service, accounts and per-account list caches the desktop app uses, so a CLI run also warms (or tests) them.
  const service = createAppService({ settings: route.settings, dataDir, configuredServer: saved?.server ?? DEFAULT_CONNECTION_SETTINGS.server, timings: io.timings });
  if (args.verbose) service.onTraffic((t) => io.stderr(formatTraffic(t)));

  let accountId: AccountId | undefined;
  const signOut = () => (accountId === undefined ? Promise.resolve(null) : service.calls['messenger:sign-out']({ accountId })).catch(() => undefined);
  // Ctrl-C during a sign-in: sign out, which makes the pending sign-in fail, and report the interruption.
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    // `listen` stops by itself once signed in; before that, as everywhere else, cancel the sign-in.
    if (args.command !== 'listen' || (accountId !== undefined && service.snapshot(accountId).connection.kind === 'connecting')) void signOut();
  };
  io.signal?.addEventListener('abort', onAbort, { once: true });

  const signIn = async () => (await service.signIn({ email: email.trim(), password }, { onAccount: (id) => (accountId = id) })).accountId;
  const run: Run = { service, io, route, signIn };
  try {
    return await runCommand(run, args);
  } catch (error) {
    if (interrupted) {
      io.stderr('interrupted\n');
      return ExitCode.interrupted;
    }
    return failure(io, toErrorInfo(error));
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
    await signOut();
    await service.flush();
    service.dispose();
  }
}

function runCommand(run: Run, args: CliArgs): Promise<number> {
  switch (args.command) {
    case 'check':
      return check(run);
    case 'contacts':
      return contacts(run);
    case 'listen':
      return listen(run, args.seconds ?? 10);
    case 'send':
      return send(run, args.to as string, args.text as string, args.seconds ?? 60);
    case 'set-psm':
    case 'set-media':
      return setPersonalStatus(run, args.command, args.value ?? '');
    case 'history':
      // Not reached: main answers it before anything signs in.
      return Promise.resolve(ExitCode.failure);
  }
}

/** The list and groups as one JSON document, names decoded. */
async function contacts({ service, io, signIn }: Run): Promise<number> {
  const accountId = await signIn();
  io.stdout(`${printableJson(presentList(service.snapshot(accountId).list), 2)}\n`);
  return ExitCode.ok;
}

/**
 * `set-psm TEXT` / `set-media "Artist - Title"` ('' clears): signs in, sets it, and says at which version. Below
 * MSNP11 the server has no personal messages: that is the error (session.not-supported).
 */
async function setPersonalStatus({ service, io, signIn }: Run, command: 'set-psm' | 'set-media', value: string): Promise<number> {
  const accountId = await signIn();
  if (command === 'set-psm') await service.calls['messenger:set-personal-message']({ accountId, message: value });
  else await service.calls['messenger:set-now-playing']({ accountId, media: value.trim() === '' ? null : parseNowPlaying(value) });
  const { connection } = service.snapshot(accountId);
  const at = connection.kind === 'connected' ? ` (${connection.protocol})` : '';
  const what = command === 'set-psm' ? 'personal message' : 'now playing';
  io.stdout(value === '' ? `ok: ${what} cleared${at}\n` : `ok: ${what} set to "${value}"${at}\n`);
  return ExitCode.ok;
}

/** Each step of the sign-in on its own line with how long it took, then the outcome. */
async function check({ service, io, route, signIn }: Run): Promise<number> {
  const started = Date.now();
  io.stdout(`route: ${route.description}\n`);
  const steps = new StepPrinter(io.stdout, route.settings.nexusUrl);
  const sub = service.onEvent((e) => {
    if (e.type === 'connection-state') steps.update(e.state);
  });
  let accountId: AccountId;
  try {
    accountId = await signIn();
  } catch (error) {
    // A network failure: walk the route hop by hop, so the person sees which one (DNS, proxy, handshake, server,
    // nexus) is at fault. The sign-in's own error is still what is reported and decides the exit code.
    if (exitCodeFor(toErrorInfo(error)) === ExitCode.network && !io.signal?.aborted) io.stdout(formatRouteCheck(await testConnection(route.settings, { signal: io.signal })));
    throw error;
  } finally {
    sub.dispose();
  }
  const list = service.snapshot(accountId).list;
  io.stdout(`ok: signed in, ${list.contacts.length} contacts in ${list.groups.length} groups, ${Date.now() - started} ms in all\n`);
  return ExitCode.ok;
}

/** Every event as a JSON line until the time is up (or Ctrl-C); a sign-out by the server ends it with its error. */
async function listen({ service, io, signIn }: Run, seconds: number): Promise<number> {
  let ended: ErrorInfo | undefined;
  let stop: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stop = resolve));
  const sub = service.onEvent((e: MessengerEvent) => {
    io.stdout(`${printableJson(presentEvent(e))}\n`);
    if (e.type === 'connection-state' && e.state.kind === 'signed-out' && e.state.reason !== 'user') {
      ended = e.state.error ?? { code: 'session.signed-out', message: 'Signed out by the server.', retryable: false };
      stop();
    }
  });
  const timer = setTimeout(stop, seconds * 1000);
  io.signal?.addEventListener('abort', stop, { once: true });
  try {
    await signIn();
    if (io.signal?.aborted) stop();
    await done;
  } finally {
    clearTimeout(timer);
    io.signal?.removeEventListener('abort', stop);
    sub.dispose();
  }
  return ended ? failure(io, ended) : ExitCode.ok;
}

/** The local history of the account (--server, --email): no password, no sign-in. */
async function history(io: CliIo, args: CliArgs, email: string): Promise<number> {
  const dataDir = resolveDataDir({ env: io.env });
  let server: HostPort;
  try {
    ({ server } = settingsFromArgs(args, io.env, await readSavedSettings(dataDir).catch(() => undefined)));
  } catch (error) {
    return usageError(io, toErrorInfo(error).message);
  }
  try {
    return await printHistory(io, { dataDir, server, email, contact: args.contact ?? '', search: args.search, limit: args.limit });
  } catch (error) {
    return failure(io, toErrorInfo(error));
  }
}

const FINAL: ReadonlySet<DeliveryState> = new Set(['delivered', 'failed', 'unconfirmed']);

/**
 * Sends the text (split into parts when long) and waits until every part is delivered, failed or unconfirmed, or
 * `seconds` have passed: 0 only when every part was delivered, 1 with each other part's state and reason.
 */
async function send({ service, io, signIn }: Run, to: string, text: string, seconds: number): Promise<number> {
  const accountId = await signIn();
  const outcomes = new Map<string, MessageOutcome>();
  let check = () => undefined as void;
  // Listening before sending: a state can change before the send call has answered.
  const sub = service.onEvent((e) => {
    if (e.type !== 'message-state' || e.accountId !== accountId) return;
    outcomes.set(e.messageId, { state: e.state, ...(e.reason ? { reason: e.reason } : {}) });
    check();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let messageIds: string[];
  try {
    const { conversationId } = await service.calls['conversations:open']({ accountId, email: to.trim() });
    ({ messageIds } = await service.calls['conversations:send-text']({ accountId, conversationId, text }));
    await new Promise<void>((resolve) => {
      check = () => {
        if (messageIds.every((id) => FINAL.has(outcomes.get(id)?.state ?? 'queued'))) resolve();
      };
      timer = setTimeout(resolve, seconds * 1000);
      io.signal?.addEventListener('abort', () => resolve(), { once: true });
      check();
    });
  } finally {
    clearTimeout(timer);
    sub.dispose();
  }
  if (io.signal?.aborted) throw new Error('interrupted');
  const parts = messageIds.map((id) => outcomes.get(id) ?? { state: 'queued' as const });
  const [line, delivered] = formatOutcome(to.trim(), parts, seconds);
  (delivered ? io.stdout : io.stderr)(line);
  return delivered ? ExitCode.ok : ExitCode.failure;
}

function parseOrReport(io: CliIo): CliArgs | undefined {
  try {
    return parseArgs(io.argv);
  } catch (error) {
    io.stderr(`${toErrorInfo(error).message}\n\n${USAGE}\n`);
    return undefined;
  }
}

function failure(io: CliIo, error: ErrorInfo): number {
  io.stderr(`failed: ${error.message} [${error.code}]\n`);
  return exitCodeFor(error);
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`${message}\n(npm run cli -- --help for the options)\n`);
  return ExitCode.usage;
}

// Run when started as a script (tsx src-main/cli/main.ts), not when imported by a test.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const controller = new AbortController();
  const onSignal = () => {
    // A second Ctrl-C means "now".
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIo = {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    signal: controller.signal,
  };
  main(io).then(
    (code) => {
      // No process.exit here: it could cut a piped JSON short. The unref'd timer only fires if a handle lingers
      // (a bug: the tests expect an empty stderr, so they notice).
      process.exitCode = code;
      setTimeout(() => {
        process.stderr.write('(exiting: a connection or timer was still open after the command finished)\n');
        process.exit(code);
      }, 2000).unref();
    },
    (error: unknown) => {
      process.stderr.write(`failed: ${printable(toErrorInfo(error).message)}\n`);
      process.exit(ExitCode.failure);
    },
  );
}
