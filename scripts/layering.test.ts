// Proves the layering table in eslint.config.js: every row rejects each folder and package outside its list (read
// from the table itself), and the named cases — among them the holes the old deny-list had — are rejected or allowed.
import { ESLint } from 'eslint';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function layeringErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'butterfly/layering').map((m) => m.message);
}

const violations: [file: string, importLine: string][] = [
  ['src-renderer/ui/x.tsx', "import { a } from '../../src-main/protocol/framing';"],
  ['src-renderer/ui/x.tsx', "import { readFileSync } from 'node:fs';"],
  ['src-renderer/ui/x.tsx', "import { readFileSync } from 'fs';"],
  ['src-renderer/ui/x.tsx', "import { ipcRenderer } from 'electron';"],
  ['src-shared/x.ts', "import { a } from '../src-main/service';"],
  ['src-shared/x.ts', "import { a } from '../src-renderer/store/store';"],
  ['src-shared/x.ts', "import { Buffer } from 'node:buffer';"],
  ['src-main/protocol/x.ts', "import { connect } from 'node:net';"],
  ['src-main/protocol/x.ts', "import { connect } from 'tls';"],
  ['src-main/protocol/x.ts', "import { app } from 'electron';"],
  ['src-main/protocol/x.ts', "import { a } from '../transport/tcp-transport';"],
  ['src-main/protocol/x.ts', "import { a } from '../session/notification-session';"],
  ['src-main/session/x.ts', "import { connect } from 'node:net';"],
  ['src-main/transport/x.ts', "import { a } from '../session/notification-session';"],
  ['e2e/msn-server/x.ts', "import { a } from '../../src-main/protocol/framing';"],
  ['e2e/msn-server/x.ts', "import { a } from '../../src-shared/url-codec';"],
  ['e2e/hostile-server/x.ts', "import { a } from '../../src-main/protocol/framing';"],
  ['e2e/hostile-server/x.ts', "import { a } from '../../src-shared/url-codec';"],
  ['e2e/hostile-server/x.ts', "import { a } from '../../src-renderer/store/store';"],
  // The holes of the deny-list this table replaced (issue 13).
  ['src-main/session/x.ts', "import { a } from '../app-service';"],
  ['src-main/session/x.ts', "import { a } from '../shell/app-service';"],
  ['src-main/session/x.ts', "import { a } from '../ipc/app-handlers';"],
  ['src-main/service/x.ts', "import { app } from 'electron';"],
  ['src-main/ipc/x.ts', "import { ipcMain } from 'electron';"],
  ['src-main/protocol/x.ts', "import { a } from '../settings/settings-store';"],
  ['src-main/session/x.ts', "import { readFile } from 'node:fs';"],
  ['src-main/session/x.ts', "import { readFile } from 'node:fs/promises';"],
  ['src-main/session/x.ts', "import { request } from 'node:http';"],
  ['src-main/session/x.ts', "import { a } from '../shell/electron-main';"],
  ['src-main/ipc/x.ts', "import { a } from '../shell/electron-main';"],
  ['src-main/service/x.ts', "import { a } from '../ipc/browser-bridge';"],
  // Every form of import counts: types, re-exports, dynamic import(), require().
  ['src-main/session/x.ts', "import type { MessengerService } from '../service/messenger-service';"],
  ['src-main/session/x.ts', "export { createAppService } from '../shell/app-service';"],
  ['src-main/session/x.ts', "export * from '../shell/app-service';"],
  ['src-main/service/x.ts', "const e = await import('electron');"],
  ['src-main/ipc/x.ts', "const e = require('electron');"],
  ['src-main/session/x.ts', "type S = typeof import('../service/messenger-service');"],
  // Transports know nothing of MSNP; the CLI is a front end without Electron; the shell does not import the CLI.
  ['src-main/transport/x.ts', "import { a } from '../protocol/framing';"],
  ['src-main/cli/x.ts', "import { app } from 'electron';"],
  ['src-main/cli/x.ts', "import { a } from '../shell/electron-main';"],
  ['src-main/shell/x.ts', "import { main } from '../cli/main';"],
  // Test helpers are for tests only.
  ['src-main/session/x.ts', "import { FakeClock } from './testing/fake-clock';"],
  ['src-main/service/x.ts', "import { a } from '../session/testing/scripted-transport';"],
  ['src-main/session/x.ts', "import { describe } from 'vitest';"],
  // A file in a folder without a row.
  ['src-main/x.ts', "import { app } from 'electron';"],
  ['src-main/conversations/x.ts', "import { a } from '../../src-shared/url-codec';"],
];

const allowed: [file: string, importLine: string][] = [
  ['src-renderer/ui/x.tsx', "import { a } from '../../src-shared/url-codec';"],
  ['src-renderer/ui/x.tsx', "import { createRoot } from 'react-dom/client';"],
  ['src-main/protocol/x.ts', "import { a } from '../../src-shared/url-codec';"],
  ['src-main/protocol/x.ts', "import { createHash } from 'node:crypto';"],
  ['src-main/protocol/x.test.ts', "import { readFileSync } from 'node:fs';"],
  ['src-main/session/x.ts', "import { a } from '../transport/transport';"],
  ['src-main/session/x.ts', "import { a } from '../transport';"],
  ['src-main/session/x.ts', "import { a } from '../storage/json-file';"],
  ['src-main/transport/x.ts', "import { connect } from 'node:net';"],
  ['src-main/shell/x.ts', "import { app } from 'electron';"],
  ['src-main/shell/x.ts', "import { a } from '../ipc/app-handlers';"],
  ['src-main/cli/x.ts', "import { createAppService } from '../shell/app-service';"],
  ['src-main/ipc/x.ts', "import { a } from '../service/messenger-service';"],
  ['src-main/ipc/x.int.test.ts', "import { startMainServices } from '../shell/app-service';"],
  ['src-main/service/x.int.test.ts', "import { a } from '../transport';"],
  ['src-main/session/x.test.ts', "import { FakeClock } from './testing/fake-clock';"],
  ['src-main/session/testing/x.ts', "import { FakeClock } from './fake-clock';"],
  ['src-main/service/x.test.ts', "import { a } from '../session/testing/scripted-transport';"],
  ['src-main/transport/x.int.test.ts', "import { startProxy } from '../../e2e/proxies';"],
  ['bench/x.ts', "import { a } from '../src-main/session/testing/scripted-transport';"],
  ['e2e/msn-server/x.ts', "import { createServer } from 'node:net';"],
  ['e2e/hostile-server/x.ts', "import { createServer } from 'node:net';"],
  ['e2e/x.spec.ts', "import { startBrowserMode } from '../src-main/shell/browser-main';"],
  ['scripts/x.ts', "import { startTestServer } from '../e2e/msn-server';"],
];

describe('layering lint rules', () => {
  it.each(violations)('%s rejects %s', async (file, line) => {
    expect(await layeringErrors(file, `${line}\n`)).not.toEqual([]);
  });
  it.each(allowed)('%s allows %s', async (file, line) => {
    expect(await layeringErrors(file, `${line}\n`)).toEqual([]);
  });
});

interface Row {
  folder: string;
  imports: string[];
  tests?: string[];
  why: string;
}

describe('every row of the layering table', () => {
  let rows: Row[] = [];
  beforeAll(async () => {
    const config = (await eslint.calculateConfigForFile(join(root, 'src-main/x.ts'))) as { rules: Record<string, [unknown, { rows: Row[] }]> };
    rows = config.rules['butterfly/layering'][1].rows;
  });

  const under = (path: string, entry: string) => path === entry || path.startsWith(`${entry}/`);
  const listed = (row: Row, target: string) => row.imports.some((e) => (e === 'node:*' ? target.startsWith('node:') : under(target, e)));
  const packages = ['electron', 'node:fs', 'node:http', 'node:net', 'node:crypto', 'node:path', 'react', 'valibot', 'ws', 'iconv-lite', 'vitest'];

  it('names the folders the issue lists, each with a reason', () => {
    const folders = rows.map((r) => r.folder);
    for (const folder of ['src-shared', 'src-main/protocol', 'src-main/transport', 'src-main/session', 'src-main/storage', 'src-main/settings', 'src-main/service', 'src-main/ipc', 'src-main/cli', 'src-main/shell', 'src-renderer', 'e2e/msn-server', 'e2e/proxies', 'bench', 'scripts']) {
      expect(folders).toContain(folder);
    }
    for (const row of rows) expect(row.why.length).toBeGreaterThan(20);
  });

  it('only the shell imports electron', () => {
    expect(rows.filter((r) => r.imports.includes('electron')).map((r) => r.folder)).toEqual(['src-main/shell']);
  });

  it('rejects, in each folder, every other folder and package outside its list, and allows those in it', async () => {
    let checked = 0;
    for (const row of rows) {
      const file = `${row.folder}/x.ts`;
      for (const other of rows.filter((r) => r !== row)) {
        const specifier = posix.relative(row.folder, `${other.folder}/x`);
        const errors = await layeringErrors(file, `import { a } from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';\n`);
        expect(errors.length, `${row.folder} → ${other.folder}`).toBe(listed(row, `${other.folder}/x`) ? 0 : 1);
        checked++;
      }
      for (const name of packages) {
        const errors = await layeringErrors(file, `import { a } from '${name}';\n`);
        expect(errors.length, `${row.folder} → ${name}`).toBe(listed(row, name) ? 0 : 1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(rows.length * rows.length);
  });
});
