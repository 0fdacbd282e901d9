// `npm run bench -- --renderer` runs this (bench/run.ts starts it as a process of its own, with Chromium beside it):
// the contact list scenario (renderer-bench.ts, which builds the renderer first), then the conversation one
// (conversation-bench.ts). `--conversation` runs only the latter, on the renderer already built in out/.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { conversationBench } from './conversation-bench';
import { rendererBench, rendererDir } from './renderer-bench';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--conversation');
if (only && !existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npx electron-vite build');
const missed = (only ? 0 : await rendererBench(quick)) + (await conversationBench(quick));
process.exitCode = missed > 0 ? 1 : 0;
