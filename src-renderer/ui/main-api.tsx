// Components reach main through this context only: the store's command module (store/commands.ts), which holds the
// one IPC client. Nothing else in the UI calls IPC.
import { createContext, useContext } from 'react';
import { createCommands, type Commands } from '../store/commands';
import { useButterflyStore } from '../store/store';

export const CommandsContext = createContext<Commands>(createCommands(null, useButterflyStore));

export const useCommands = (): Commands => useContext(CommandsContext);
