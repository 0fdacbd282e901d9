// The end-to-end history benchmark's machinery, in its quick form (no timing asserted here: the figures are the
// benchmark's): every message delivered through one switchboard, received once, and found afterwards in both
// accounts' SQLite histories; the paced runs measured on disk and in memory.
import { describe, expect, it } from 'vitest';
import { runHistoryEndToEnd } from './history-e2e';

describe('history end-to-end benchmark', () => {
  it('sends through one switchboard with both histories on disk, every message stored; paced runs measured', async () => {
    const r = await runHistoryEndToEnd(true);
    expect(r).toMatchObject({ messages: 2_000, received: 2_000, switchboards: 1, stored: { alice: 2_001, aliceDelivered: 2_001, bob: 2_001 } });
    expect(r.throughput).toBeGreaterThan(0);
    for (const p of [r.paced.disk, r.paced.memory]) {
      expect(p.latency.messages).toBe(200);
      expect(p.loop.p50Ms).toBeLessThanOrEqual(p.loop.maxMs);
    }
  });
});
