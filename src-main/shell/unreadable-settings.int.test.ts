// Finding 5 over real sockets: settings.json with a saved SOCKS5 proxy is truncated; main must not then sign in
// directly without the person knowing. The IPC handlers both shells use refuse a sign-in (and nothing reaches the
// server) until the person saves new settings or chooses the defaults.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_SETTINGS, SETTINGS_UNREADABLE_MESSAGE, type ConnectionSettings } from '../../src-shared/connection-settings';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { startMainServices, type MainServices } from './app-service';
import { EventRoutes } from '../ipc/event-routes';
import { sessionOnlySecretBox } from '../settings/secret-box';

let server: TestServer;
let main: MainServices | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'bf-unreadable-settings-'));

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => main?.dispose());
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (defaults: ConnectionSettings) =>
  startMainServices({
    info: { name: 'Butterfly', version: '0', shell: 'browser', platform: 'linux' },
    dataDir,
    secrets: sessionOnlySecretBox,
    defaults,
    routes: new EventRoutes(),
    openWindow: async () => ({ opened: 'in-page' }),
    log: () => undefined,
  });
const page = { id: 'page-1' };

describe('unreadable settings.json', () => {
  it('sign-in waits for the person: refused while unread, nothing sent, then works once they choose the defaults', async () => {
    const defaults = { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl };
    // A SOCKS5 proxy saved, then the file cut in half.
    main = await start(defaults);
    expect(await main.handlers.calls['settings:save']({ settings: { ...defaults, transport: 'socks5', proxy: { host: '127.0.0.1', port: 1080 } } }, page)).toMatchObject({ ok: true });
    main.dispose();
    const text = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    writeFileSync(join(dataDir, 'settings.json'), text.slice(0, 40));

    main = await start(defaults);
    const { calls } = main.handlers;
    const view = await calls['settings:get'](null, page);
    expect(view.unreadable?.keptAs).toMatch(/^settings\.json\.unreadable-\d+$/);
    expect(view.settings.transport).toBe('direct');
    const connections = server.transcripts().length;
    const signIn = () => calls['messenger:sign-in']({ email: 'alice@example.com', password: 'alicepass' }, page);
    const refused = await signIn().catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'settings.unreadable' });
    expect((refused as Error).message).toContain(SETTINGS_UNREADABLE_MESSAGE);
    expect(server.transcripts().length).toBe(connections);

    expect((await calls['settings:use-defaults'](null, page)).unreadable).toBeUndefined();
    const { accountId } = await signIn();
    expect(main.service.snapshot(accountId).connection).toMatchObject({ kind: 'connected', server: `127.0.0.1:${server.ns.port}` });
    await calls['messenger:sign-out']({ accountId }, page);
    // The unreadable copy is still there for the person to look at.
    expect(readdirSync(dataDir).filter((f) => f.startsWith('settings.json.unreadable-'))).toHaveLength(1);
  });
});
