// Exports: TrIdAllocator — hands out transaction ids 1, 2, 3, … per connection, never 0 (servers use TrID 0 for
// unsolicited commands such as `CHL 0`), wrapping back to 1 after 2^32 - 1 (TrIDs are unsigned 32-bit on the wire).
export const MAX_TRID = 0xffffffff;

export class TrIdAllocator {
  private current: number;

  /** `start` is the first id `next()` returns (default 1). */
  constructor(start = 1) {
    if (!Number.isInteger(start) || start < 1 || start > MAX_TRID) throw new RangeError('A TrID starts between 1 and 2^32 - 1');
    this.current = start - 1;
  }

  next(): number {
    this.current = this.current >= MAX_TRID ? 1 : this.current + 1;
    return this.current;
  }

  /** The id `next()` returned last (0 before the first call). */
  get last(): number {
    return this.current;
  }
}
