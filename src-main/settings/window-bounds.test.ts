import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cascade, CASCADE_STEP, openWindowBoundsStore, placeOnDisplays, WINDOW_BOUNDS_FILE, type Rect } from './window-bounds';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 860 };
// A second monitor to the right of the laptop, taller, its top higher.
const right: Rect = { x: 1440, y: -200, width: 2560, height: 1400 };
// A monitor left of the primary: negative coordinates.
const left: Rect = { x: -1920, y: 0, width: 1920, height: 1040 };

describe('placeOnDisplays', () => {
  it('keeps a window that is on a display, on either of two side by side, left of the primary too, and spread over two', () => {
    const onLaptop = { x: 100, y: 80, width: 360, height: 640 };
    expect(placeOnDisplays(onLaptop, [laptop, right])).toEqual(onLaptop);
    const onRight = { x: 3000, y: -150, width: 520, height: 480 };
    expect(placeOnDisplays(onRight, [laptop, right])).toEqual(onRight);
    const onLeft = { x: -1800, y: 10, width: 520, height: 480 };
    expect(placeOnDisplays(onLeft, [left, laptop])).toEqual(onLeft);
    // Spread over the seam, its title bar on both: kept, even though it is wider than either.
    const spread = { x: 1000, y: 0, width: 1600, height: 600 };
    expect(placeOnDisplays(spread, [laptop, right])).toEqual(spread);
  });

  it('brings back a window left on a monitor since unplugged, onto the nearest display, whole', () => {
    const wasOnRight = { x: 3500, y: 600, width: 520, height: 480 };
    expect(placeOnDisplays(wasOnRight, [laptop])).toEqual({ x: 1440 - 520, y: 860 - 480, width: 520, height: 480 });
    const wasOnLeft = { x: -1500, y: 300, width: 520, height: 480 };
    expect(placeOnDisplays(wasOnLeft, [laptop, right])).toEqual({ x: 0, y: 300, width: 520, height: 480 });
  });

  it('moves a window whose title bar is off the top or barely on, onto the display it overlaps most', () => {
    // Its title bar above the laptop's top: moved down.
    expect(placeOnDisplays({ x: 200, y: -30, width: 400, height: 500 }, [laptop])).toEqual({ x: 200, y: 0, width: 400, height: 500 });
    // Only 40 px of it left on the laptop, the rest past its right edge and no monitor there.
    expect(placeOnDisplays({ x: 1400, y: 100, width: 400, height: 500 }, [laptop])).toEqual({ x: 1040, y: 100, width: 400, height: 500 });
    // Mostly on the right monitor, its title bar above that monitor's top: it goes to the right monitor.
    expect(placeOnDisplays({ x: 1500, y: -400, width: 600, height: 900 }, [laptop, right])).toEqual({ x: 1500, y: -200, width: 600, height: 900 });
  });

  it('shrinks a window larger than the screen it goes to (a lower resolution now)', () => {
    const small: Rect = { x: 0, y: 0, width: 1024, height: 700 };
    expect(placeOnDisplays({ x: 500, y: -50, width: 1600, height: 1000 }, [small])).toEqual({ x: 0, y: 0, width: 1024, height: 700 });
  });

  it('with no display known, leaves the bounds as they are', () => {
    const b = { x: 5000, y: 5000, width: 100, height: 100 };
    expect(placeOnDisplays(b, [])).toEqual(b);
  });
});

describe('cascade', () => {
  it('steps down and right past windows at the same place, and stops at a free one', () => {
    const at = { x: 100, y: 100, width: 500, height: 400 };
    expect(cascade(at, [])).toEqual(at);
    expect(cascade(at, [{ ...at, width: 10 }])).toEqual({ ...at, x: 100 + CASCADE_STEP, y: 100 + CASCADE_STEP });
    const two = cascade(at, [at, { ...at, x: 100 + CASCADE_STEP, y: 100 + CASCADE_STEP }]);
    expect(two).toEqual({ ...at, x: 100 + 2 * CASCADE_STEP, y: 100 + 2 * CASCADE_STEP });
  });
});

describe('window bounds store', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'bf-bounds-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('remembers one place per kind in the data directory, read back on the next start', async () => {
    const dataDir = dir();
    const store = await openWindowBoundsStore({ dataDir });
    expect(store.get('conversation')).toBeUndefined();
    await store.remember('conversation', { x: 10.4, y: 20, width: 520, height: 480 });
    await store.remember('contact-list', { x: -300, y: 0, width: 360, height: 640 });
    const again = await openWindowBoundsStore({ dataDir });
    expect(again.get('conversation')).toEqual({ x: 10, y: 20, width: 520, height: 480 });
    expect(again.get('contact-list')).toEqual({ x: -300, y: 0, width: 360, height: 640 });
  });

  it('sets an unreadable file aside and starts from nothing; bounds that are not a window are not kept', async () => {
    const dataDir = dir();
    writeFileSync(join(dataDir, WINDOW_BOUNDS_FILE), JSON.stringify({ format: 1, bounds: { conversation: { x: 0, y: 0, width: -5, height: 10 } } }));
    const lines: string[] = [];
    const store = await openWindowBoundsStore({ dataDir, log: (l) => lines.push(l) });
    expect(store.get('conversation')).toBeUndefined();
    expect(lines[0]).toMatch(/could not be read \(bounds\.conversation\.width: /);
    expect(readdirSync(dataDir).some((n) => n.startsWith(`${WINDOW_BOUNDS_FILE}.unreadable-`))).toBe(true);
    await store.remember('conversation', { x: 0, y: 0, width: 0, height: 100 });
    expect(store.get('conversation')).toBeUndefined();
    await store.remember('conversation', { x: 0, y: 0, width: 300, height: 100 });
    expect(JSON.parse(readFileSync(join(dataDir, WINDOW_BOUNDS_FILE), 'utf8'))).toEqual({ format: 1, bounds: { conversation: { x: 0, y: 0, width: 300, height: 100 } } });
  });
});
