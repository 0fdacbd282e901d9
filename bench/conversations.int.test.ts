// The conversation benchmark's machinery, in its quick form (no timing asserted here: the figures are the
// benchmark's): every message delivered through one switchboard and received once, every timed message answered,
// and the memory figures taken.
import { describe, expect, it } from 'vitest';
import { runConversationBench } from './conversations';

describe('conversation benchmark', () => {
  it('sends through one switchboard, every message delivered and received once; latency and memory measured', async () => {
    const r = await runConversationBench(true);
    expect(r).toMatchObject({ messages: 2_000, received: 2_000, switchboards: 1, latency: { rate: 200, messages: 200 }, memory: { cycles: 50 } });
    expect(r.throughput).toBeGreaterThan(0);
    expect(r.latency.p50Ms).toBeLessThanOrEqual(r.latency.p99Ms);
    expect(r.memory.baselineBytes).toBeGreaterThan(0);
    expect(r.memory.afterBytes).toBeGreaterThan(0);
  });
});
