// The account's conversations as this window shows them: each conversation's summary (participants, unread count —
// the service's model, never counted here), its flow (messages, and joins, leaves and notices between them), who is
// typing, and which conversations have a tab. Pure actions; main's conversation events arrive through store/events.ts.
import type { StateCreator } from 'zustand';
import type { ErrorInfo } from '../../src-shared/errors';
import type { ConversationEvent, ConversationMessage, ConversationSummary, LeaveReason, OutgoingMessage } from '../../src-shared/conversation-types';

/** Something said in the flow that is not a message. */
export type FlowNotice =
  | { kind: 'joined'; email: string; nickname: string }
  | { kind: 'left'; email: string; reason: LeaveReason }
  | { kind: 'unsupported'; from: string; contentType: string }
  | { kind: 'invite-failed'; email: string; error: ErrorInfo };

export type FlowEntry = { type: 'message'; message: ConversationMessage } | { type: 'notice'; id: string; at: number; notice: FlowNotice };

const CONVERSATION_EVENTS: ReadonlySet<string> = new Set<ConversationEvent['type']>([
  'conversation-opened',
  'conversation-updated',
  'conversation-closed',
  'participant-joined',
  'participant-left',
  'message',
  'message-state',
  'typing',
  'unsupported-content',
  'invite-failed',
]);
export const isConversationEvent = <E extends { type: string }>(event: E): event is Extract<E, ConversationEvent> => CONVERSATION_EVENTS.has(event.type);

export interface ConversationsSlice {
  conversations: Readonly<Record<string, ConversationSummary>>;
  flows: Readonly<Record<string, readonly FlowEntry[]>>;
  /** Who is typing in each conversation (e-mail addresses). */
  typing: Readonly<Record<string, readonly string[]>>;
  /** When the last nudge arrived in each conversation (ms since the epoch): the view shakes when it changes. */
  nudgedAt: Readonly<Record<string, number>>;
  /** Conversations with a tab, in tab order; the shown one. */
  tabs: readonly string[];
  activeTab: string | null;
  /** A conversation's summary and messages as `conversations:get` answered. */
  setConversation(conversation: ConversationSummary, messages: readonly ConversationMessage[]): void;
  applyConversationEvent(event: ConversationEvent): void;
  /** Adds a tab (if there is none) and shows it. */
  showTab(conversationId: string): void;
  closeTab(conversationId: string): void;
}

export const emptyConversations: Pick<ConversationsSlice, 'conversations' | 'flows' | 'typing' | 'nudgedAt' | 'tabs' | 'activeTab'> = {
  conversations: {},
  flows: {},
  typing: {},
  nudgedAt: {},
  tabs: [],
  activeTab: null,
};

let nextNoticeId = 1;
const notice = (at: number, n: FlowNotice): FlowEntry => ({ type: 'notice', id: `n${nextNoticeId++}`, at, notice: n });

const without = <T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const next = { ...record };
  delete next[key];
  return next;
};

export const createConversationsSlice: StateCreator<ConversationsSlice, [], [], ConversationsSlice> = (set, get) => {
  const append = (conversationId: string, entry: FlowEntry) =>
    set((s) => ({ flows: { ...s.flows, [conversationId]: [...(s.flows[conversationId] ?? []), entry] } }));
  const setTyping = (conversationId: string, email: string, active: boolean) =>
    set((s) => {
      const now = (s.typing[conversationId] ?? []).filter((e) => e !== email);
      return { typing: { ...s.typing, [conversationId]: active ? [...now, email] : now } };
    });
  return {
    ...emptyConversations,
    setConversation: (conversation, messages) =>
      set((s) => {
        const notices = (s.flows[conversation.id] ?? []).filter((e) => e.type === 'notice');
        const entries: FlowEntry[] = [...messages.map((message) => ({ type: 'message' as const, message })), ...notices];
        entries.sort((a, b) => (a.type === 'message' ? a.message.at : a.at) - (b.type === 'message' ? b.message.at : b.at));
        return { conversations: { ...s.conversations, [conversation.id]: conversation }, flows: { ...s.flows, [conversation.id]: entries } };
      }),
    applyConversationEvent: (event) => {
      switch (event.type) {
        case 'conversation-opened':
        case 'conversation-updated': {
          const id = event.conversation.id;
          set((s) => ({ conversations: { ...s.conversations, [id]: event.conversation } }));
          // A third person joined a single conversation: its tab becomes the group's, starting from what it showed.
          const from = event.type === 'conversation-opened' ? event.grewFrom : undefined;
          if (from === undefined || !get().tabs.includes(from) || get().tabs.includes(id)) return;
          return set((s) => ({
            tabs: s.tabs.map((t) => (t === from ? id : t)),
            activeTab: s.activeTab === from ? id : s.activeTab,
            flows: { ...s.flows, [id]: [...(s.flows[from] ?? []), ...(s.flows[id] ?? [])] },
          }));
        }
        case 'conversation-closed': {
          const id = event.conversationId;
          return set((s) => ({
            conversations: without(s.conversations, id),
            flows: without(s.flows, id),
            typing: without(s.typing, id),
            tabs: s.tabs.filter((t) => t !== id),
            activeTab: s.activeTab === id ? (s.tabs.find((t) => t !== id) ?? null) : s.activeTab,
          }));
        }
        case 'participant-joined':
          return append(event.conversationId, notice(Date.now(), { kind: 'joined', ...event.participant }));
        case 'participant-left':
          setTyping(event.conversationId, event.email, false);
          return append(event.conversationId, notice(Date.now(), { kind: 'left', email: event.email, reason: event.reason }));
        case 'unsupported-content':
          return append(event.conversationId, notice(event.at, { kind: 'unsupported', from: event.from, contentType: event.contentType }));
        case 'invite-failed':
          return append(event.conversationId, notice(Date.now(), { kind: 'invite-failed', email: event.email, error: event.error }));
        case 'typing':
          return setTyping(event.conversationId, event.email, event.active);
        case 'message': {
          const m = event.message;
          const flow = get().flows[m.conversationId] ?? [];
          if (flow.some((e) => e.type === 'message' && e.message.id === m.id)) return;
          append(m.conversationId, { type: 'message', message: m });
          if (m.direction === 'in') {
            setTyping(m.conversationId, m.from, false);
            if (m.kind === 'nudge') set((s) => ({ nudgedAt: { ...s.nudgedAt, [m.conversationId]: m.at } }));
            // A message with no view open gets a tab (with its unread badge), without taking the person elsewhere.
            if (!get().tabs.includes(m.conversationId)) set((s) => ({ tabs: [...s.tabs, m.conversationId] }));
          }
          return;
        }
        case 'message-state':
          return set((s) => {
            const isIt = (e: FlowEntry): e is { type: 'message'; message: OutgoingMessage } => e.type === 'message' && e.message.id === event.messageId && e.message.direction === 'out';
            // Its own conversation's flow, and a group's that started from it (see conversation-opened).
            const changed = Object.entries(s.flows).filter(([, flow]) => flow.some(isIt));
            if (changed.length === 0) return s;
            const flows = { ...s.flows };
            for (const [id, flow] of changed) {
              flows[id] = flow.map((e) => (isIt(e) ? { type: 'message' as const, message: { ...e.message, state: event.state, attempt: event.attempt, reason: event.reason } } : e));
            }
            return { flows };
          });
      }
    },
    showTab: (conversationId) => set((s) => ({ tabs: s.tabs.includes(conversationId) ? s.tabs : [...s.tabs, conversationId], activeTab: conversationId })),
    closeTab: (conversationId) =>
      set((s) => {
        const i = s.tabs.indexOf(conversationId);
        const tabs = s.tabs.filter((t) => t !== conversationId);
        return { tabs, activeTab: s.activeTab === conversationId ? (tabs[Math.min(i, tabs.length - 1)] ?? null) : s.activeTab };
      }),
  };
};
