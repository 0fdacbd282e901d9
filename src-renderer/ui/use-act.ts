// Runs an action the person took and says how it went: a refusal becomes the list's notice (in their words, from
// the code and what they were doing); a success clears any notice still up, as the next successful action should.
import { useCallback } from 'react';
import type { Commands, Result } from '../store/commands';
import { useButterflyStore } from '../store/store';
import type { ErrorContext } from '../store/ui-slice';
import { useCommands } from './main-api';

export type Act = (context: ErrorContext, call: (commands: Commands) => Promise<Result<unknown>>) => Promise<boolean>;

export function useAct(): Act {
  const commands = useCommands();
  const showNotice = useButterflyStore((s) => s.showNotice);
  const clearNotice = useButterflyStore((s) => s.clearNotice);
  return useCallback(
    async (context, call) => {
      const result = await call(commands);
      if (result.ok) clearNotice();
      else showNotice(result.error, context);
      return result.ok;
    },
    [commands, showNotice, clearNotice],
  );
}
