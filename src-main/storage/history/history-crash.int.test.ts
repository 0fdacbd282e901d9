// Crash safety: a child process writing 10,000 messages is killed with SIGKILL partway through. The database must
// open, pass PRAGMA integrity_check (and the FTS5 indexes theirs), and hold every message whose append the child saw
// resolve; on reopening, what was left in flight is settled.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { historyFile, openHistoryStore } from './open-history';
import { foldText, wordsIndexText } from './search-text';

const CHILD = join(import.meta.dirname, 'testing', 'crash-writer.ts');
const TOTAL = 10_000;

/** Runs the writer and kills it once it has acknowledged `killAfter` messages; resolves to the acknowledged ids. */
function writeAndKill(dataDir: string, killAfter: number): Promise<{ acked: Set<string>; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(TOTAL)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Set<string>();
    let finished = false;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('ack ')) acked.add(line.slice(4));
        if (line === 'done') finished = true;
      }
      if (acked.size >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended with ${code ?? signal} before it was killed: ${stderr}`));
      else resolve({ acked, finished });
    });
  });
}

describe('history crash safety', () => {
  for (const killAfter of [1_500, 6_000]) {
    it(`kill -9 after ${killAfter.toLocaleString('en-US')} of ${TOTAL.toLocaleString('en-US')} acknowledged appends loses none of them`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'bf-crash-'));
      try {
        const { acked, finished } = await writeAndKill(dataDir, killAfter);
        expect(finished).toBe(false);
        expect(acked.size).toBeGreaterThanOrEqual(killAfter);

        const db = new Database(historyFile(dataDir, 'crash'));
        db.function('bf_words', { deterministic: true }, (t) => wordsIndexText(String(t)));
        db.function('bf_fold', { deterministic: true }, (t) => foldText(String(t)));
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(() => db.exec("INSERT INTO message_words (message_words) VALUES ('integrity-check')")).not.toThrow();
        expect(() => db.exec("INSERT INTO message_trigrams (message_trigrams) VALUES ('integrity-check')")).not.toThrow();
        const stored = new Set((db.prepare('SELECT id FROM messages').all() as { id: string }[]).map((r) => r.id));
        const missing = [...acked].filter((id) => !stored.has(id));
        expect(missing).toEqual([]);
        // Whatever else made it is whole: every stored message is indexed.
        expect(db.prepare('SELECT count(*) AS n FROM message_trigrams_docsize').get()).toEqual({ n: stored.size });
        db.close();

        const store = await openHistoryStore({ dataDir, accountId: 'crash' });
        const page = await store.page('c-bob', { kind: 'newest' }, 500);
        const states = new Set(page.messages.flatMap((m) => (m.direction === 'out' ? [m.state] : [])));
        expect(states.has('queued') || states.has('sent')).toBe(false);
        expect([...states].every((s) => s === 'failed' || s === 'unconfirmed')).toBe(true);
        expect((await store.search({ text: '北京', limit: 10 })).hits).toHaveLength(10);
        await store.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
