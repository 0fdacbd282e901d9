// Proves each layering rule in eslint.config.js rejects a violating import, and that allowed imports pass.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function layeringErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
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
];

const allowed: [file: string, importLine: string][] = [
  ['src-renderer/ui/x.tsx', "import { a } from '../../src-shared/url-codec';"],
  ['src-main/protocol/x.ts', "import { a } from '../../src-shared/url-codec';"],
  ['src-main/protocol/x.test.ts', "import { readFileSync } from 'node:fs';"],
  ['src-main/session/x.ts', "import { a } from '../transport/transport';"],
  ['src-main/transport/x.ts', "import { connect } from 'node:net';"],
  ['src-main/x.ts', "import { app } from 'electron';"],
  ['e2e/msn-server/x.ts', "import { createServer } from 'node:net';"],
  ['e2e/hostile-server/x.ts', "import { createServer } from 'node:net';"],
];

describe('layering lint rules', () => {
  it.each(violations)('%s rejects %s', async (file, line) => {
    expect(await layeringErrors(file, `${line}\n`)).not.toEqual([]);
  });
  it.each(allowed)('%s allows %s', async (file, line) => {
    expect(await layeringErrors(file, `${line}\n`)).toEqual([]);
  });
});
