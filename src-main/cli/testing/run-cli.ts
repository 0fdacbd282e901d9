// Runs the CLI for tests: in-process through `main` (fast, output captured), or as a real subprocess through its
// entry point (exit code and stdout flushing as a user's shell sees them). Every run gets a fresh temp data
// directory unless the test passes BUTTERFLY_DATA_DIR, so no test ever touches the real per-user directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
export const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
export const CLI_ENTRY = join(REPO_ROOT, 'src-main', 'cli', 'main.ts');

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'bf-cli-data-'));

export interface InProcessRun extends Partial<Omit<CliIo, 'argv' | 'env'>> {
  /** Called with everything printed so far on stdout, after each write (to react to a line as it appears). */
  onStdout?: (all: string) => void;
}

export async function runCli(argv: string[], env: Record<string, string | undefined> = {}, options: InProcessRun = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const ownDir = env.BUTTERFLY_DATA_DIR === undefined ? tempDataDir() : undefined;
  const code = await main({
    argv,
    env: { BUTTERFLY_DATA_DIR: ownDir, ...env },
    stdout: (t) => {
      stdout += t;
      options.onStdout?.(stdout);
    },
    stderr: (t) => (stderr += t),
    signal: options.signal,
    timings: options.timings,
  });
  if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  return { code, stdout, stderr };
}

/** `node tsx <command…>` in its own process group, killed (the group, by its id) if it outlives the timeout. */
export interface SpawnOptions {
  timeoutMs?: number;
  /** Runs it under another program first (e.g. `unshare -n --`). */
  prefix?: string[];
  /** Called with everything on stdout so far, after each chunk; `signal` sends a signal to the process. */
  onStdout?: (all: string, signal: (name: NodeJS.Signals) => void) => void;
}

export function spawnTsx(args: string[], env: Record<string, string | undefined>, options: SpawnOptions = {}): Promise<CliResult & { timedOut: boolean }> {
  const { timeoutMs = 30_000, prefix = [] } = options;
  const command = [...prefix, process.execPath, TSX, ...args];
  const ownDir = env.BUTTERFLY_DATA_DIR === undefined ? tempDataDir() : undefined;
  const child = spawn(command[0], command.slice(1), {
    cwd: REPO_ROOT,
    // PATH and HOME only from the test's environment: nothing else leaks in (no BUTTERFLY_* of the developer).
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BUTTERFLY_DATA_DIR: ownDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
    options.onStdout?.(stdout, (name) => child.kill(name));
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': by then both pipes are drained, so stdout is complete.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      resolve({ code: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), stdout, stderr, timedOut });
    });
  });
}

/** The real entry point: `tsx src-main/cli/main.ts …`. */
export const spawnCli = (argv: string[], env: Record<string, string | undefined>, options: Omit<SpawnOptions, 'prefix'> = {}) => spawnTsx([CLI_ENTRY, ...argv], env, options);
