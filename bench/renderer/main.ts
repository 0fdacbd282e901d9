// `npm run bench -- --renderer` runs this (bench/run.ts starts it as a process of its own, with Chromium beside it).
import { rendererBench } from './renderer-bench';

process.exitCode = (await rendererBench(process.argv.includes('--quick'))) > 0 ? 1 : 0;
