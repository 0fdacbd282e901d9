// Lint, and the layering table: per folder, the folders and packages it may import — an allow-list, in the manner of
// VS Code's code-import-patterns. scripts/layering.test.ts proves each row rejects an import outside its list.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

/**
 * One row per folder. `imports` lists what the folder's own code may import besides the folder itself: repo paths
 * (a folder, or one module named without its extension) and packages (`node:*` is every Node built-in, `node:fs`
 * also covers `node:fs/promises`). The layers run one way: shell → service → session → transport/protocol → shared.
 * Test files (*.test.ts, *.spec.ts) and `testing/` folders may also import the test tooling below and the row's
 * `tests`; code that is not a test never imports a `testing/` folder. The most specific row applies. A file under
 * src-main, src-shared, src-renderer, e2e, bench or scripts that no row covers is an error: a new folder needs a row.
 */
const layers = [
  {
    folder: 'src-shared',
    imports: ['valibot'],
    why: 'src-shared is the leaf both processes use: no Node, no Electron, nothing of main or the renderer.',
  },
  {
    folder: 'src-main/protocol',
    // fast-xml-parser reads personal messages and msnobjects (strict-xml.ts): a pure function of the text.
    imports: ['src-shared', 'iconv-lite', 'fast-xml-parser', 'node:crypto'],
    why: 'src-main/protocol is pure: bytes in, commands out, no I/O, below the transports and sessions.',
  },
  {
    folder: 'src-main/transport',
    imports: ['src-shared', 'node:net', 'node:tls', 'node:dns', 'node:stream', 'node:events'],
    why: 'transports carry bytes over a route and know nothing of MSNP, the sessions or anything above.',
  },
  {
    folder: 'src-main/storage',
    // The history checkpoints its WAL from a worker thread, which loads better-sqlite3 by its resolved path.
    imports: ['src-shared', 'valibot', 'better-sqlite3', 'node:fs', 'node:path', 'node:worker_threads', 'node:module'],
    why: "storage is where main's own files and databases are read and written; it knows nothing of sessions or anything above.",
  },
  {
    folder: 'src-main/session',
    imports: ['src-shared', 'src-main/protocol', 'src-main/transport', 'src-main/storage', 'valibot', 'node:crypto', 'node:path'],
    why: 'sessions reach the network only through the Transport interface and files only through storage, and never reach up to the service, IPC or the shell.',
  },
  {
    folder: 'src-main/settings',
    imports: ['src-shared', 'src-main/storage', 'valibot', 'node:path'],
    why: 'settings are read and written through storage; they know nothing of sessions, the service or the shell.',
  },
  {
    folder: 'src-main/service',
    // The account registry keeps its ids (random UUIDs) in a file through storage.
    imports: ['src-shared', 'src-main/session', 'src-main/settings', 'src-main/storage', 'valibot', 'node:crypto', 'node:path'],
    // Its tests build real routes (transports, the challenge answer) as the shell does.
    tests: ['src-main/transport', 'src-main/protocol'],
    why: 'the service sits on the sessions and knows neither IPC, the shells nor Electron.',
  },
  {
    folder: 'src-main/ipc',
    imports: ['src-shared', 'src-main/service', 'src-main/settings', 'valibot', 'ws', 'node:http', 'node:net', 'node:stream', 'node:crypto', 'node:fs', 'node:path'],
    // The browser bridge is tested behind the real app service and browser mode.
    tests: ['src-main/shell/app-service', 'src-main/shell/browser-main'],
    why: 'IPC turns the contract into service calls (and the browser bridge carries it); it never imports electron or the shell.',
  },
  {
    folder: 'src-main/cli',
    // The CLI is a front end beside the two shells: it builds the same app service in the same data directory.
    // `history` reads an account's stored messages without signing in.
    imports: ['src-shared', 'src-main/service', 'src-main/session', 'src-main/settings', 'src-main/storage', 'src-main/shell/app-service', 'src-main/shell/data-dir', 'valibot', 'node:url'],
    why: 'the CLI uses the service as the shells do, and never electron.',
  },
  {
    folder: 'src-main/shell',
    imports: ['src-shared', 'src-main/protocol', 'src-main/transport', 'src-main/storage', 'src-main/session', 'src-main/settings', 'src-main/service', 'src-main/ipc', 'electron', 'node:*'],
    why: 'the shell is the top of main and the only folder that imports electron.',
  },
  {
    folder: 'src-renderer',
    imports: ['src-shared', 'react', 'react-dom', 'zustand', 'valibot', '@tanstack/react-virtual', 'i18next', 'react-i18next'],
    why: 'the renderer reaches main only through the contract in src-shared: no Node, no Electron, no src-main.',
  },
  {
    folder: 'e2e/msn-server',
    imports: ['node:*', 'iconv-lite'],
    why: 'the test server has its own codecs: a client bug must not hide behind the same bug in the server.',
  },
  {
    folder: 'e2e/hostile-server',
    imports: ['node:*', 'iconv-lite'],
    why: 'the hostile server shares no code with the client, like the test server.',
  },
  {
    folder: 'e2e/proxies',
    imports: ['node:*'],
    why: 'the proxy harness starts real proxies and knows nothing of the client.',
  },
  {
    folder: 'e2e',
    imports: ['src-shared', 'src-main/shell', 'src-main/ipc', 'src-main/service', 'e2e/msn-server', 'e2e/proxies', '@playwright/test', '@axe-core/playwright', 'node:*'],
    why: 'the Playwright specs start browser mode against the test server and drive the renderer.',
  },
  {
    folder: 'bench',
    // The list benchmark drives the service with the sessions' scripted transport, as its unit tests do.
    // The history benchmark fills a real store with the history tests' message builders and reads facts beside it.
    // The conversation benchmark drives the service over real transports to the test server.
    imports: ['src-shared', 'src-main/protocol', 'src-main/transport', 'src-main/session', 'src-main/service', 'src-main/session/testing', 'src-main/storage', 'src-main/storage/history/testing', 'better-sqlite3', 'node:*'],
    why: 'benchmarks measure the protocol core, the sessions and the service, never a shell.',
  },
  {
    folder: 'bench/renderer',
    imports: ['src-shared', 'src-main/shell/browser-main', 'src-main/shell/app-service', 'e2e/msn-server', 'e2e/big-list', 'playwright', 'node:*'],
    why: 'the renderer benchmark drives the built renderer in Chromium through browser mode against the test server, as the e2e specs do.',
  },
  {
    folder: 'scripts',
    imports: ['src-shared', 'src-main/shell', 'e2e/msn-server', 'eslint', 'yaml', '@resvg/resvg-js', 'png2icons', 'node:*'],
    // The check that no renderer component holds text of its own reads them with the TypeScript parser.
    tests: ['typescript'],
    why: 'scripts start the app (demo), make icons and run the tests, from the shell down.',
  },
];

/**
 * What any test may use besides its folder's list: the runners, property testing, a WebSocket client, iconv-lite for
 * bytes in other charsets, Node for temporary files and child processes, and the servers and proxies it drives.
 */
const testTooling = ['vitest', 'fast-check', '@playwright/test', 'playwright', 'ws', 'iconv-lite', 'node:*', 'e2e/msn-server', 'e2e/hostile-server', 'e2e/proxies'];

const areas = ['src-main', 'src-shared', 'src-renderer', 'e2e', 'bench', 'scripts'];
const builtins = new Set(builtinModules);
const under = (path, entry) => path === entry || path.startsWith(`${entry}/`);
const inTesting = (path) => /(^|\/)testing(\/|$)/.test(path);
const isTest = (path) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) || inTesting(path);
const rowOf = (rows, path) =>
  rows.filter((row) => under(path, row.folder)).sort((a, b) => b.folder.length - a.folder.length)[0];

/** `node:fs/promises` for `fs/promises`; a package's name for its subpaths is left to `under`. */
function packageName(specifier) {
  const bare = specifier.replace(/^node:/, '');
  return specifier.startsWith('node:') || builtins.has(bare.split('/')[0]) ? `node:${bare}` : specifier;
}

function allows(entries, target) {
  return entries.some((entry) => (entry === 'node:*' ? target.startsWith('node:') : under(target, entry)));
}

/** The layering rule: its options are the table, so the test can check the rule against every row. */
const layeringRule = {
  meta: {
    type: 'problem',
    schema: false,
    messages: {
      outside: '{{folder}} may not import {{target}}: {{why}} (It may import: {{allowed}}.)',
      testing: '{{target}} is a test helper: only tests and other testing/ folders import it.',
      noRow: '{{file}} is in no row of the layering table in eslint.config.js: give its folder a row.',
    },
  },
  create(context) {
    const { rows, root } = context.options[0];
    const file = relative(root, context.filename).split(sep).join('/');
    if (!areas.some((area) => under(file, area))) return {};
    const row = rowOf(rows, file);
    if (!row) {
      return { Program: (node) => context.report({ node, messageId: 'noRow', data: { file } }) };
    }
    const test = isTest(file);
    const entries = test ? [...row.imports, ...(row.tests ?? []), ...testTooling] : row.imports;

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      const relativeTo = specifier.startsWith('.') ? join(dirname(file), specifier).split(sep).join('/') : undefined;
      const target = relativeTo === undefined ? packageName(specifier) : relativeTo.replace(/\.[cm]?[jt]sx?$/, '');
      const listedHelper = row.imports.some((entry) => inTesting(entry) && under(target, entry));
      if (relativeTo !== undefined && inTesting(target) && !test && !listedHelper) {
        context.report({ node, messageId: 'testing', data: { target } });
        return;
      }
      const own = relativeTo !== undefined && rowOf(rows, target) === row;
      if (own || allows(entries, target)) return;
      context.report({ node, messageId: 'outside', data: { folder: row.folder, target, why: row.why, allowed: entries.join(', ') } });
    }
    const fromLiteral = (node) =>
      node?.type === 'Literal' ? node.value : node?.type === 'TSLiteralType' ? node.literal.value : undefined;
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, fromLiteral(node.source)),
      TSImportType: (node) => check(node, fromLiteral(node.source ?? node.argument)),
      TSExternalModuleReference: (node) => check(node, fromLiteral(node.expression)),
      CallExpression: (node) => node.callee.type === 'Identifier' && node.callee.name === 'require' && check(node, fromLiteral(node.arguments[0])),
    };
  },
};

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
  {
    plugins: { butterfly: { rules: { layering: layeringRule } } },
    rules: { 'butterfly/layering': ['error', { rows: layers, root: import.meta.dirname }] },
  },
);
