// A loopback port where TCP connects hang: a child process listens with a backlog of 1 and never accepts, so once
// its accept queue is full the kernel drops further SYNs. The only honest way to test a connect timeout on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';

export interface StalledListener {
  port: number;
  stop(): void;
}

const SCRIPT = `require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () {
  console.log(this.address().port);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
  process.exit(0);
});`;

export async function startStalledListener(): Promise<StalledListener> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error('stalled listener exited')));
  });
  // Fill the accept queue (backlog + 1 connections complete without accept()).
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    await new Promise<void>((r) => s.once('connect', () => r()));
    fillers.push(s);
  }
  return {
    port,
    stop() {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
    },
  };
}
