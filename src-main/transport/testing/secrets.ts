// Test helper: a secret must not appear in any of the given texts (messages, stacks, taps, descriptions).
import { expect } from 'vitest';

export function expectNoSecret(secret: string | undefined, ...texts: string[]): void {
  if (!secret) return;
  for (const text of texts) expect(text.includes(secret), `secret leaked into: ${text.slice(0, 200)}`).toBe(false);
}
