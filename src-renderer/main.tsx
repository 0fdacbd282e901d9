import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app';
import { CommandsContext } from './ui/main-api';
import { connectToMain } from './ipc/butterfly-api';
import { bindMainToStore } from './ipc/main-events';
import { createCommands } from './store/commands';
import { useButterflyStore } from './store/store';
import './styles.css';

const api = connectToMain();
bindMainToStore(api, useButterflyStore);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CommandsContext.Provider value={createCommands(api, useButterflyStore)}>
      <App />
    </CommandsContext.Provider>
  </StrictMode>,
);
