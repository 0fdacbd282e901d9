// What this window shows that main does not know: the filter text, and the one notice about a refused action (with
// what the person was doing, so the UI can say it in their words). A notice goes when the next action succeeds, when
// it is dismissed, or after a while (the timer lives in the component that shows it).
import type { StateCreator } from 'zustand';
import type { ErrorInfo } from '../../src-shared/errors';

/** What was being done when an error came back: the words of the error depend on it. */
export type ActionName =
  | 'sign-in'
  | 'sign-out'
  | 'set-status'
  | 'set-nickname'
  | 'set-personal-message'
  | 'set-max-version'
  | 'add-contact'
  | 'remove-contact'
  | 'block-contact'
  | 'unblock-contact'
  | 'move-contact'
  | 'answer-added-you'
  | 'add-group'
  | 'rename-group'
  | 'remove-group'
  | 'settings'
  | 'privacy'
  | 'open-conversation';

export interface ErrorContext {
  action: ActionName;
  /** The contact's e-mail address, as typed or as in the list. */
  email?: string;
  /** The group's name (plain text). */
  group?: string;
}

export interface Notice {
  id: number;
  error: ErrorInfo;
  context: ErrorContext;
}

export interface UiSlice {
  filter: string;
  notice: Notice | null;
  /** How long a notice stays up when nothing else clears it. */
  noticeTimeoutMs: number;
  setFilter(filter: string): void;
  showNotice(error: ErrorInfo, context: ErrorContext): void;
  /** Without an id: whatever notice is up; with one: only that notice (a timer that fired late leaves a newer one). */
  clearNotice(id?: number): void;
}

let nextNoticeId = 1;

export const createUiSlice: StateCreator<UiSlice, [], [], UiSlice> = (set) => ({
  filter: '',
  notice: null,
  noticeTimeoutMs: 12_000,
  setFilter: (filter) => set({ filter }),
  showNotice: (error, context) => set({ notice: { id: nextNoticeId++, error, context } }),
  clearNotice: (id) => set((s) => (s.notice && (id === undefined || s.notice.id === id) ? { notice: null } : s)),
});
