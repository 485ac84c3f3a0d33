// The main side of the IPC contract, without Electron: main/electron/ipc.ts
// registers `ipcMain.handle(wireChannel(c), (event, ...args) =>
// router.handle(c, event.senderFrame?.url, args))` for every channel, and nothing
// else. Every request is checked in this order: who sent it (the frame's URL must be
// the app's own), what it carries (parseInvokeArgs), then the handler runs. Errors go
// back as data (InvokeReply) with a message a person can read.
import { HeraldError } from '../../../server/protocol/errors.ts';
import { INVOKE_CHANNELS, type InvokeArgs, type InvokeChannel, type InvokeReply, type InvokeResult } from './contract.ts';
import { isTrustedSender, type SenderTrust } from '../window/app-origin.ts';
import { parseInvokeArgs } from './ipc-arguments.ts';

export type IpcHandlers = {
  [C in InvokeChannel]: (...args: InvokeArgs<C>) => InvokeResult<C> | Promise<InvokeResult<C>>;
};

export interface RefusedRequest {
  channel: string;
  senderFrameUrl: string | null;
  reason: string;
}

export interface IpcRouter {
  readonly channels: readonly InvokeChannel[];
  handle(channel: InvokeChannel, senderFrameUrl: string | null | undefined, args: readonly unknown[]): Promise<InvokeReply<unknown>>;
}

function messageOf(error: unknown): string {
  if (error instanceof HeraldError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'something went wrong in the app (see its log)';
}

export function createIpcRouter(options: {
  handlers: IpcHandlers;
  trust: SenderTrust;
  /** Told about every refused sender, so the app can log it. */
  onRefused?: (request: RefusedRequest) => void;
  /** Told about handler failures that are not the caller's fault. */
  onError?: (channel: InvokeChannel, error: unknown) => void;
}): IpcRouter {
  const { handlers, trust } = options;
  return {
    channels: INVOKE_CHANNELS,
    async handle(channel, senderFrameUrl, args) {
      if (!isTrustedSender(senderFrameUrl, trust)) {
        const reason = `refused ${channel}: the sender ${senderFrameUrl ? `at ${senderFrameUrl}` : '(no frame)'} is not the app's window`;
        options.onRefused?.({ channel, senderFrameUrl: senderFrameUrl ?? null, reason });
        return { ok: false, error: reason };
      }
      try {
        const parsed = parseInvokeArgs(channel, args);
        const handler = handlers[channel] as (...args: unknown[]) => unknown;
        const value = await handler(...parsed);
        return { ok: true, value };
      } catch (error) {
        if (!(error instanceof HeraldError)) options.onError?.(channel, error);
        return { ok: false, error: messageOf(error) };
      }
    },
  };
}
