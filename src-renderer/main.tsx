import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app';
import { connectToMain } from './ipc/butterfly-api';
import { bindMainToStore } from './ipc/main-events';
import { useButterflyStore } from './store/store';
import './styles.css';

bindMainToStore(connectToMain(), useButterflyStore);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
