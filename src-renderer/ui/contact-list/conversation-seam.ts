// The seam for conversations (their own issue): what a contact row's "Send a message" (Enter, double-click) and
// "View message history" do. Until a provider supplies them these are absent, and the row offers neither; Enter
// then opens the contact's menu instead.
import { createContext, useContext } from 'react';

export interface ConversationSeam {
  openConversation?: (email: string) => void;
  viewHistory?: (email: string) => void;
}

export const ConversationSeamContext = createContext<ConversationSeam>({});
export const useConversationSeam = (): ConversationSeam => useContext(ConversationSeamContext);
