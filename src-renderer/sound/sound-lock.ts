// Which page plays the sounds when several show the same session. In browser mode every page (a second tab, a window
// of the same address) hears every event, and each would play each sound. The pages share one Web Lock: the page that
// holds it plays, and a page that gets the focus takes it over, since that is where the person is reading (so its own
// "is this conversation shown" check is the one that counts). A page that loses it queues for it again, so when the
// page in front closes, another one plays. Without Web Locks every page plays, as before.

export interface SoundLock {
  /** Whether this page is the one that plays now. */
  holds(): boolean;
  /** This page got the focus: it plays from now on. */
  takeOver(): void;
  dispose(): void;
}

type Locks = Pick<LockManager, 'request'>;

export function createSoundLock(locks: Locks | undefined, name = 'butterfly-sounds'): SoundLock {
  if (!locks) return { holds: () => true, takeOver: () => undefined, dispose: () => undefined };
  let current: { release(): void } | null = null;
  let queued = false;
  let disposed = false;
  const ask = (steal: boolean) => {
    const grant = { release: () => undefined as void };
    if (!steal) queued = true;
    void locks
      .request(name, steal ? { steal: true } : {}, () => {
        if (!steal) queued = false;
        if (disposed) return undefined;
        current = grant;
        return new Promise<void>((resolve) => (grant.release = resolve));
      })
      // Rejected when another page took it over; resolved when this page let it go.
      .catch(() => undefined)
      .finally(() => {
        grant.release();
        if (current !== grant) return;
        current = null;
        if (!disposed && !queued) ask(false);
      });
  };
  ask(false);
  return {
    holds: () => current !== null,
    takeOver: () => {
      if (!current && !disposed) ask(true);
    },
    dispose: () => {
      disposed = true;
      current?.release();
    },
  };
}
