// Runs a proxy as a foreground child in its own process group, so stop() can end it and every worker it forked
// (danted and squid fork helpers) with one signal to the group. Nothing here matches processes by name.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface GroupProcess {
  readonly child: ChildProcess;
  /** What it wrote to stdout/stderr so far (the last 16 KiB), for failure messages. */
  output(): string;
  readonly exited: Promise<number | null>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the leader has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole group now: a proxy dying mid-stream. */
  kill(): Promise<void>;
  /**
   * SIGSTOP to the group: the proxy stops reading (a stall; bytes sent to it wait in its kernel buffer). Resolves once
   * every thread of every process in the group is stopped: the kernel wakes one thread to take a stop signal, and a
   * thread of a busy multi-threaded proxy (tinyproxy) can still read for a while before the stop reaches it.
   */
  freeze(waitMs?: number): Promise<void>;
}

export function spawnGroup(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): GroupProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-16_384);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      keep(Buffer.from(String(error)));
      resolve(-1);
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 3000) =>
    (stopping ??= (async () => {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Workers may outlive the leader for a moment: make sure none keeps the port.
      signalGroup('SIGKILL');
    })());
  const kill = async () => {
    signalGroup('SIGKILL');
    await exited;
  };
  const freeze = async (waitMs = 5000) => {
    signalGroup('SIGSTOP');
    const group = child.pid;
    if (group === undefined) return;
    const running = await pollUntil(() => runningTasks(group), (r) => r.length === 0, waitMs);
    if (running.length > 0) throw new Error(`${command}: threads ${running.join(', ')} of group ${group} did not stop within ${waitMs} ms`);
  };
  return { child, output: () => log, exited, stop, kill, freeze };
}

/** Resolves once host:port accepts a TCP connection; rejects if the process exits first or time runs out. */
export async function waitForPort(host: string, port: number, proc: GroupProcess, timeoutMs: number, name: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => (exitCode = code ?? -1));
  for (let attempt = 0; attempt < 10_000; attempt++) {
    if (exitCode !== undefined) throw new Error(`${name} exited (code ${exitCode}) before listening on ${host}:${port}:\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`${name} did not listen on ${host}:${port} within ${timeoutMs} ms:\n${proc.output()}`);
    if (await canConnect(host, port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Reads every `everyMs` until `done` says so or `waitMs` have passed; answers the last reading. */
export async function pollUntil<T>(read: () => T, done: (value: T) => boolean, waitMs: number, everyMs = 2): Promise<T> {
  const deadline = Date.now() + waitMs;
  let value = read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = read();
  }
  return value;
}

/** The threads (`pid/tid`) in process group `group` that are not stopped, from Linux's /proc. */
function runningTasks(group: number): string[] {
  const running: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (!stat || Number(stat[2]) !== group) continue;
    for (const tid of safeReaddir(`/proc/${pid}/task`)) {
      const state = readStat(`/proc/${pid}/task/${tid}/stat`)?.[0];
      // T: stopped by a signal; Z/X: already gone.
      if (state !== undefined && !/^[TtZX]$/.test(state)) running.push(`${pid}/${tid}`);
    }
  }
  return running;
}

/** The fields after `pid (comm)` in a /proc stat file (state, ppid, pgrp, …), or undefined if it has gone. */
function readStat(path: string): string[] | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
