// Presence drawn as Butterfly's own icons, told apart by shape as well as colour (for colour-blind people and
// monochrome screens): online a full disc, busy (and on the phone) a disc with a bar, away (be right back, out to lunch,
// idle) a disc with clock hands, offline a ring, blocked a ring struck through. Decorative: the row says the status
// in words.
import type { OwnStatus, PresenceStatus } from '../../src-shared/messenger-types';

export type PresenceKind = 'online' | 'busy' | 'away' | 'offline' | 'blocked';

export function presenceKind(status: PresenceStatus, blocked = false): PresenceKind {
  if (blocked) return 'blocked';
  if (status === 'FLN' || status === 'HDN') return 'offline';
  if (status === 'NLN') return 'online';
  if (status === 'BSY' || status === 'PHN') return 'busy';
  return 'away';
}

/** What you can pick yourself: idle is set by the app when you are away from the keyboard, not chosen. */
export const choosableStatuses: readonly OwnStatus[] = ['NLN', 'BSY', 'BRB', 'AWY', 'PHN', 'LUN', 'HDN'];

export function StatusIcon({ kind, size = 14 }: { kind: PresenceKind; size?: number }) {
  return (
    <svg className={`status-icon ${kind}`} width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {kind === 'offline' || kind === 'blocked' ? (
        <circle cx="8" cy="8" r="6" fill="none" strokeWidth="2.2" />
      ) : (
        <circle cx="8" cy="8" r="7" />
      )}
      {kind === 'busy' && <rect x="3.5" y="6.6" width="9" height="2.8" rx="1" className="mark" />}
      {kind === 'away' && <path d="M8 3.8V8.4L11 10.2" fill="none" strokeWidth="1.9" strokeLinecap="round" className="mark" />}
      {kind === 'blocked' && <path d="M3.8 12.2L12.2 3.8" fill="none" strokeWidth="2.2" strokeLinecap="round" />}
    </svg>
  );
}
