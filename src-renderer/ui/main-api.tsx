// Components reach main through this context only: `useMessenger()` runs a messenger command and resolves with
// undefined, or with the error's user-facing message (the caller shows it where the user acted).
import { createContext, useContext, useCallback } from 'react';
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { MessengerCommand } from '../../src-shared/messenger-types';

export const MainApiContext = createContext<ButterflyApi | null>(null);

export type RunCommand = (command: MessengerCommand) => Promise<string | undefined>;

export function useMessenger(): RunCommand {
  const api = useContext(MainApiContext);
  return useCallback(
    async (command) => {
      if (!api) return 'Butterfly’s background service is not running.';
      try {
        await api.call('messenger:execute', command);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
    [api],
  );
}
