// The demo's one stop path, in-process: Ctrl-C, the app side failing at start or later, a crash elsewhere in the process
// and the app closed by the person all stop the app and the test server and remove the run's data directory. The real
// `npm run demo` on a fresh clone, stopped with Ctrl-C: first-run.int.test.ts.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isListening } from './testing/is-listening';
import { runDemo, type DemoApp, type DemoContext } from './demo';

const root = join(import.meta.dirname, '..');
let tmpRoot: string;
beforeEach(() => void (tmpRoot = mkdtempSync(join(tmpdir(), 'butterfly-demo-test-'))));
afterEach(() => rmSync(tmpRoot, { recursive: true, force: true }));

const dataDirs = () => readdirSync(tmpRoot).filter((name) => name.startsWith('butterfly-demo-'));


/** Starts the demo in browser mode without building; `ready` once it printed its address. */
function startDemo(startApp?: (context: DemoContext) => Promise<DemoApp>) {
  const lines: string[] = [];
  const errors: string[] = [];
  let ask!: () => void;
  let crash!: (error: Error) => void;
  const stopRequested = new Promise<void>((resolve, reject) => ((ask = resolve), (crash = reject)));
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const print = (text: string) => {
    lines.push(text);
    if (text.includes('Press Ctrl-C to stop.')) onReady();
  };
  const done = runDemo({ root, browser: true, build: false, tmpRoot, print, printError: (line) => errors.push(line), startApp, stopRequested });
  const output = () => lines.join('\n');
  const serverPort = () => Number(/Demo MSN server on 127\.0\.0\.1:(\d+)/.exec(output())?.[1]);
  return { done, ready, ask, crash, output, errors, serverPort };
}

describe('npm run demo stops everything it started', () => {
  it('on Ctrl-C: the bridge and the server close and the data directory is removed', async () => {
    const demo = startDemo();
    await demo.ready;
    expect(demo.output()).toContain('alice@example.com      password alicepass');
    const address = /^ {2}(http:\/\/127\.0\.0\.1:(\d+)\/\S*)$/m.exec(demo.output());
    expect(address, demo.output()).not.toBeNull();
    const bridgePort = Number(address![2]);
    expect(dataDirs()).toHaveLength(1);
    expect(await isListening(demo.serverPort())).toBe(true);
    expect(await isListening(bridgePort)).toBe(true);

    demo.ask();
    expect(await demo.done).toBe(0);
    expect(dataDirs()).toEqual([]);
    expect(await isListening(demo.serverPort())).toBe(false);
    expect(await isListening(bridgePort)).toBe(false);
    expect(demo.errors).toEqual([]);
  });

  it('when the app side fails to start: the error is shown, the server stops, the data directory goes', async () => {
    let context: DemoContext | undefined;
    const demo = startDemo(async (c) => {
      context = c;
      expect(existsSync(c.dataDir)).toBe(true);
      throw new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080');
    });
    expect(await demo.done).toBe(1);
    expect(demo.errors).toEqual(['demo: listen EADDRINUSE: address already in use 127.0.0.1:8080']);
    expect(context).toBeDefined();
    expect(dataDirs()).toEqual([]);
    expect(await isListening(context!.server.ns.port)).toBe(false);
  });

  it('when the app side fails later: it is stopped once, then the server, and the data directory goes', async () => {
    let fail!: (error: Error) => void;
    const stopped: string[] = [];
    let port = 0;
    const demo = startDemo(async (c) => {
      port = c.server.ns.port;
      return {
        lines: ['the app is up'],
        ended: new Promise<void>((_resolve, reject) => (fail = reject)),
        stop: async () => void stopped.push(`app stopped, server ${(await isListening(port)) ? 'still up' : 'down'}`),
      };
    });
    await demo.ready;
    fail(new Error('the desktop app exited with 133'));
    expect(await demo.done).toBe(1);
    expect(demo.errors).toEqual(['demo: the desktop app exited with 133']);
    expect(stopped).toEqual(['app stopped, server still up']);
    expect(dataDirs()).toEqual([]);
    expect(await isListening(port)).toBe(false);
  });

  it('when something else in the process crashes (an uncaught exception in the bridge)', async () => {
    const demo = startDemo();
    await demo.ready;
    const bridgePort = Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(demo.output())![1]);
    demo.crash(new Error('Cannot read properties of undefined'));
    expect(await demo.done).toBe(1);
    expect(demo.errors).toEqual(['demo: Cannot read properties of undefined']);
    expect(dataDirs()).toEqual([]);
    expect(await isListening(bridgePort)).toBe(false);
    expect(await isListening(demo.serverPort())).toBe(false);
  });

  it('when the person closes the app: a normal end', async () => {
    let close!: () => void;
    const demo = startDemo(async () => ({ lines: [], ended: new Promise<void>((resolve) => (close = resolve)), stop: async () => undefined }));
    await demo.ready;
    close();
    expect(await demo.done).toBe(0);
    expect(dataDirs()).toEqual([]);
  });
});
