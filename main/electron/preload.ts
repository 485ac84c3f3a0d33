// The history window's preload. Sandboxed preloads may require only a few modules
// (Electron docs, "Process Sandboxing": electron's renderer modules, events, timers,
// url), so scripts/build.ts bundles this file and main/app/ipc/ into ONE CommonJS file,
// dist/preload.cjs, with only `electron` left external.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../app/ipc/bridge.ts';
import { createIpcBridge } from '../app/ipc/ipc-bridge.ts';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createIpcBridge(ipcRenderer));
