// Registers exactly the IPC contract's channels on ipcMain, each through the router,
// which checks `event.senderFrame.url` before anything else
// (main/app/ipc/ipc-router.ts). A frame that is gone has no senderFrame: refused.
import { ipcMain } from 'electron';
import { wireChannel } from '../app/ipc/contract.ts';
import type { IpcRouter } from '../app/ipc/ipc-router.ts';

export function registerIpc(router: IpcRouter): void {
  for (const channel of router.channels) {
    ipcMain.handle(wireChannel(channel), (event, ...args: unknown[]) => router.handle(channel, event.senderFrame?.url, args));
  }
}
