// The desktop app's main-process entry (electron-vite builds this file): starts the Electron shell.
import { startElectronShell } from './electron-shell';

void startElectronShell();
