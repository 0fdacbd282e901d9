// The seam the contact rows open conversations through: what "Send a message" (Enter, double-click) and "View message
// history" do. ui/conversation/conversation-tabs.tsx supplies "Send a message" (a conversation shows its history as
// you scroll back, so no second entry is offered); one left absent is not offered, and without "Send a message"
// Enter opens the contact's menu instead.
import { createContext, useContext } from 'react';

export interface ConversationSeam {
  openConversation?: (email: string) => void;
  viewHistory?: (email: string) => void;
}

export const ConversationSeamContext = createContext<ConversationSeam>({});
export const useConversationSeam = (): ConversationSeam => useContext(ConversationSeamContext);
