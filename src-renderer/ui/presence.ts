// Presence as people read it: the labels Messenger used, and a colour class per status.
import type { OwnStatus, PresenceStatus } from '../../src-shared/messenger-types';

export const ownStatusLabels: Record<OwnStatus, string> = {
  NLN: 'Online',
  BSY: 'Busy',
  BRB: 'Be Right Back',
  AWY: 'Away',
  PHN: 'On the Phone',
  LUN: 'Out to Lunch',
  IDL: 'Idle',
  HDN: 'Appear Offline',
};

/** What you can pick yourself: idle is set by the app when you are away from the keyboard, not chosen. */
export const choosableStatuses: OwnStatus[] = ['NLN', 'BSY', 'BRB', 'AWY', 'PHN', 'LUN', 'HDN'];

export function presenceLabel(status: PresenceStatus): string {
  return status === 'FLN' ? 'Offline' : ownStatusLabels[status];
}

export function presenceClass(status: PresenceStatus): string {
  if (status === 'FLN' || status === 'HDN') return 'presence offline';
  if (status === 'NLN') return 'presence online';
  if (status === 'BSY' || status === 'PHN') return 'presence busy';
  return 'presence away';
}
