// `npm test`: type-check → lint → unit → integration → build → e2e. Stops at the first failing stage, prints each
// runner's summary, and fails if a test stage executed no test at all (a silent green is worse than a red).
// `npm test` reaches this through scripts/bootstrap.mjs, which first installs what the stages need.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Counts { passed: number; failed: number; skipped: number }
interface Stage { name: string; command: string[]; env?: Record<string, string>; report?: string; countsFrom?: (file: string) => Counts }

const root = join(import.meta.dirname, '..');
const reports = join(root, 'artifacts', 'test-reports');

const vitestCounts = (file: string): Counts => {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
};
const playwrightCounts = (file: string): Counts => {
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
};
const vitest = (project: string): Stage => {
  const report = join(reports, `${project}.json`);
  return {
    name: project,
    command: ['npx', 'vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    report,
    countsFrom: vitestCounts,
  };
};
const tsc = (config: string): string[] => ['npx', 'tsc', '-p', config];

const e2eReport = join(reports, 'e2e.json');
const allStages: Stage[] = [
  { name: 'typecheck', command: ['sh', '-c', ['tsconfig.shared.json', 'tsconfig.main.json', 'tsconfig.renderer.json', 'tsconfig.tools.json'].map((c) => tsc(c).join(' ')).join(' && ')] },
  { name: 'lint', command: ['npx', 'eslint', '.', '--max-warnings=0'] },
  vitest('unit'),
  vitest('integration'),
  { name: 'build', command: ['npx', 'electron-vite', 'build'] },
  {
    name: 'e2e',
    command: ['npx', 'playwright', 'test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
    report: e2eReport,
    countsFrom: playwrightCounts,
  },
];

/** The stages in the order they run (scripts/bootstrap.mjs names what each needs from the system). */
export const stageNames = allStages.map((s) => s.name);

function run(only: string[]): number {
  const unknown = only.filter((name) => !stageNames.includes(name));
  if (unknown.length > 0) {
    console.error(`npm test: no stage ${unknown.join(', ')} (stages: ${stageNames.join(', ')})`);
    return 2;
  }
  const stages = allStages.filter((s) => only.length === 0 || only.includes(s.name));
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });

  const summary: string[] = [];
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  let failedStage: string | undefined;

  for (const stage of stages) {
    console.log(`\n━━ ${stage.name}: ${stage.command.join(' ')}`);
    const started = Date.now();
    const result = spawnSync(stage.command[0], stage.command.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...stage.env } });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    let line = `${stage.name.padEnd(12)} ${result.status === 0 ? 'ok    ' : 'FAILED'} ${seconds}s`;
    if (stage.countsFrom && stage.report) {
      let counts: Counts | undefined;
      try {
        counts = stage.countsFrom(stage.report);
      } catch {
        counts = undefined;
      }
      if (counts) {
        line += `  ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
        total.passed += counts.passed;
        total.failed += counts.failed;
        total.skipped += counts.skipped;
      }
      if (result.status === 0 && (!counts || counts.passed === 0)) {
        line += '  (no test executed: counts as a failure)';
        result.status = 1;
      }
    }
    summary.push(line);
    if (result.status !== 0) {
      failedStage = stage.name;
      break;
    }
  }

  console.log('\n━━ summary');
  for (const line of summary) console.log(line);
  console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  if (failedStage) {
    console.log(`npm test failed at stage "${failedStage}"`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(run(process.argv.slice(2)));
