// Where windows open: one remembered size and position for the contact list and one for conversation windows, kept
// in `<data dir>/window-bounds.json` (read with its schema; an unreadable file is set aside and the defaults apply),
// and the rule that puts remembered bounds back on a screen that is there now (a monitor unplugged since, a smaller
// resolution): `placeOnDisplays`, pure, so the shell only asks Electron for the displays' work areas.
import { join } from 'node:path';
import * as v from 'valibot';
import { createPrivateDir, readJsonFile, writeFileAtomically } from '../storage/json-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How much of a window must stay on one display for its remembered place to be kept: a grip to drag it by. */
export const VISIBLE_GRIP = { width: 120, height: 40 };

const overlap = (a: Rect, b: Rect): Rect => {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
};
const area = (r: Rect) => r.width * r.height;
const centreDistance = (a: Rect, b: Rect) => Math.hypot(a.x + a.width / 2 - (b.x + b.width / 2), a.y + a.height / 2 - (b.y + b.height / 2));
const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), Math.max(low, high));

/**
 * Remembered bounds on the displays there are now (their work areas; the first wins a tie). Kept as they are
 * when the window's top edge — its title bar — shows a grip's worth on one display (a window spread over two screens
 * stays so); otherwise it goes
 * onto the display it overlaps most (else the nearest), shrunk to that display's work area if it is larger, and moved
 * just enough to be wholly on it. No displays known: unchanged.
 */
export function placeOnDisplays(bounds: Rect, displays: readonly Rect[]): Rect {
  if (displays.length === 0) return bounds;
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, VISIBLE_GRIP.height) };
  const holding = displays.find((d) => {
    const bar = overlap(titleBar, d);
    return bar.width >= Math.min(VISIBLE_GRIP.width, bounds.width) && bar.height >= titleBar.height;
  });
  if (holding) return bounds;
  const target = displays.reduce((best, d) => {
    const [a, b] = [area(overlap(bounds, d)), area(overlap(bounds, best))];
    return a > b || (a === b && a === 0 && centreDistance(bounds, d) < centreDistance(bounds, best)) ? d : best;
  });
  const width = Math.min(bounds.width, target.width);
  const height = Math.min(bounds.height, target.height);
  return {
    x: clamp(bounds.x, target.x, target.x + target.width - width),
    y: clamp(bounds.y, target.y, target.y + target.height - height),
    width,
    height,
  };
}

/** How far a new window steps from one already at its place, and how many steps it takes at most. */
export const CASCADE_STEP = 24;
const CASCADE_LIMIT = 20;

/** `bounds` moved down and right, a step at a time, until no window in `taken` has its top-left corner there. */
export function cascade(bounds: Rect, taken: readonly Rect[]): Rect {
  let next = bounds;
  for (let i = 0; i < CASCADE_LIMIT && taken.some((t) => t.x === next.x && t.y === next.y); i++) next = { ...next, x: next.x + CASCADE_STEP, y: next.y + CASCADE_STEP };
  return next;
}

/** The kinds of window whose place is remembered: every conversation window shares one. */
export type BoundsKind = 'contact-list' | 'conversation';

const coordinate = v.pipe(v.number(), v.integer(), v.minValue(-1_000_000), v.maxValue(1_000_000));
const length = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000));
const rectSchema = v.strictObject({ x: coordinate, y: coordinate, width: length, height: length });
const boundsFileSchema = v.strictObject({
  format: v.literal(1),
  bounds: v.strictObject({ 'contact-list': v.optional(rectSchema), conversation: v.optional(rectSchema) }),
});
type BoundsFile = v.InferOutput<typeof boundsFileSchema>;
export const WINDOW_BOUNDS_FILE = 'window-bounds.json';

export interface WindowBoundsStore {
  get(kind: BoundsKind): Rect | undefined;
  /** Remembers and writes (in order, one write at a time); a write that fails leaves the remembered value for this run. */
  remember(kind: BoundsKind, bounds: Rect): Promise<void>;
}

export async function openWindowBoundsStore(options: { dataDir: string; log?: (line: string) => void }): Promise<WindowBoundsStore> {
  const file = join(options.dataDir, WINDOW_BOUNDS_FILE);
  const read = await readJsonFile(file, boundsFileSchema, { maxBytes: 16 * 1024 });
  if (read.kind === 'unreadable') options.log?.(`Window positions could not be read (${read.reason}); the defaults apply.`);
  const bounds: BoundsFile['bounds'] = read.kind === 'ok' ? read.value.bounds : {};
  let writing: Promise<void> = Promise.resolve();
  return {
    get: (kind) => bounds[kind],
    remember(kind, rect) {
      const r = v.safeParse(rectSchema, { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width), height: Math.round(rect.height) });
      if (!r.success) return writing;
      bounds[kind] = r.output;
      const body: BoundsFile = { format: 1, bounds: { ...bounds } };
      writing = writing
        .then(async () => {
          await createPrivateDir(options.dataDir);
          await writeFileAtomically(file, `${JSON.stringify(body, null, 2)}\n`);
        })
        .catch((error: unknown) => options.log?.(`Window positions could not be saved: ${(error as Error).message}`));
      return writing;
    },
  };
}
