// Lint, and the layering table: which folder may import what. scripts/layering.test.ts proves each rule bites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ban = (regex, message) => ({ regex, message });

const noMain = ban('(^|/)src-main(/|$)', 'Only the main process may import src-main.');
const noRenderer = ban('(^|/)src-renderer(/|$)', 'Nothing imports the renderer.');
const noShared = ban('(^|/)src-shared(/|$)', 'The test server has its own codecs: a client bug must not hide behind the same bug in the server.');
const noNode = ban(`^(${nodeBuiltins.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`, 'Node built-ins are not available here.');
const noElectron = ban('^electron(/|$)', 'Only the Electron shell imports electron.');
const noIo = ban('^(node:)?(net|tls|dgram|http|https|http2|child_process|fs|fs/promises)$', 'src-main/protocol is pure: bytes in, commands out, no I/O.');
const noTransport = ban('(^|/)transport(/|$)', 'src-main/protocol sits below the transports.');
const noSession = ban('(^|/)session(/|$)', 'This layer sits below the sessions.');
const noSockets = ban('^(node:)?(net|tls)$', 'Sessions reach the network only through the Transport interface.');
const noService = ban('(^|/)(messenger-service|electron-main|preload|ipc-main|browser-bridge)(\\.ts)?$', 'Lower layers never reach up to the service or the shell.');

const layer = (files, patterns, extra = {}) => ({
  files,
  ...extra,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'artifacts/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // The layering table. Later blocks win for the same rule, so the most specific folders come last.
  layer(['src-shared/**'], [noMain, noRenderer, noNode, noElectron]),
  layer(['src-renderer/**'], [noMain, noNode, noElectron]),
  layer(['src-main/**'], [noRenderer]),
  layer(['src-main/transport/**'], [noRenderer, noSession, noService, noElectron]),
  layer(['src-main/session/**'], [noRenderer, noSockets, noService, noElectron]),
  layer(['src-main/protocol/**'], [noRenderer, noIo, noElectron, noTransport, noSession, noService], {
    ignores: ['src-main/protocol/**/*.test.ts'],
  }),
  layer(['src-main/protocol/**/*.test.ts'], [noRenderer, noElectron, noTransport, noSession, noService]),
  layer(['e2e/msn-server/**'], [noMain, noShared, noRenderer]),
  layer(['e2e/hostile-server/**'], [noMain, noShared, noRenderer]),
);
