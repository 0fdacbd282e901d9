// WAL checkpoints off the main thread. With SQLite's automatic checkpoint, the commit that crosses 1,000 WAL pages
// copies them into the database and fsyncs it, inside that commit: measured, 50–90 ms stalls every few MB written,
// which the sockets sharing the main thread would feel. So the store's connection turns automatic checkpoints off
// and this worker thread, on a connection of its own, runs a PASSIVE checkpoint (it never blocks writers or
// readers) at most once per interval after something was written. If the worker cannot start or fails, `onFailure`
// runs and the store goes back to automatic checkpoints.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 1000 });
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, code: String(error && error.code) });
  }
});
`;

export interface Checkpointer {
  /** Something was committed: a checkpoint is due within the interval. */
  written(): void;
  close(): void;
}

export function startCheckpointer(file: string, options: { intervalMs: number; onFailure: (reason: string) => void }): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file } });
  worker.unref();
  let dirty = false;
  let busy = false;
  let done = false;
  const fail = (reason: string) => {
    if (done) return;
    stop();
    options.onFailure(reason);
  };
  worker.on('message', (reply: { ok: boolean; code?: string }) => {
    busy = false;
    // A busy database is tried again at the next interval; anything else ends the worker.
    if (!reply.ok && reply.code !== 'SQLITE_BUSY') fail(reply.code ?? 'error');
  });
  worker.on('error', (error) => fail(error.message));
  worker.on('exit', () => fail('the checkpoint worker stopped'));
  const timer = setInterval(() => {
    if (!dirty || busy) return;
    dirty = false;
    busy = true;
    worker.postMessage('checkpoint');
  }, options.intervalMs);
  timer.unref();
  function stop() {
    done = true;
    clearInterval(timer);
    worker.postMessage('close');
  }
  return {
    written: () => {
      dirty = true;
    },
    close: () => {
      if (!done) stop();
    },
  };
}
