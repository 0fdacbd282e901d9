// What the desktop app does when a message arrives, decided without Electron: the shell says what windows there are
// and carries the answer out. The person's setting says whether a conversation with no window opens one (shown
// without taking the focus, and flashing) or only flashes the contact list; a conversation whose window is open but
// not in front flashes that window; one in front is left alone — the person is reading it.
import type { MessageArrival } from '../../src-shared/window-view';

export type WindowState = 'none' | 'open' | 'focused';

export interface ArrivalWindows {
  /** The conversation's own window: none, open behind others (or minimised), or the focused one. */
  conversation: WindowState;
  /** The account's contact list window. */
  list: WindowState;
}

export type ArrivalAction =
  | { kind: 'nothing' }
  /** Create the conversation's window with `showInactive()` and `flashFrame(true)`. */
  | { kind: 'open-inactive' }
  | { kind: 'flash-conversation' }
  /** Flash the account's contact list window. */
  | { kind: 'flash-list' };

export function decideMessageArrival(setting: MessageArrival, windows: ArrivalWindows): ArrivalAction {
  switch (windows.conversation) {
    case 'focused':
      return { kind: 'nothing' };
    case 'open':
      return { kind: 'flash-conversation' };
    case 'none':
      if (setting === 'open-window') return { kind: 'open-inactive' };
      // Only notify: the list flashes unless the person is looking at it (where the conversation shows its unread count).
      return windows.list === 'open' ? { kind: 'flash-list' } : { kind: 'nothing' };
  }
}
