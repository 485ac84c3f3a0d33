// The benchmark's handle on a load agent child process (agent.ts).

import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnWithFdLimit, stopChild } from '../child-processes.ts';
import type { AgentCallName, AgentCalls, AgentReply } from './agent-protocol.ts';

const AGENT_ENTRY = fileURLToPath(new URL('./agent.ts', import.meta.url));

export class LoadAgent {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (raw) => {
      const message = raw as AgentReply;
      const waiter = this.waiting.get(message.id);
      if (waiter === undefined) return;
      this.waiting.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`load agent: ${message.error}`));
    });
    child.once('exit', (code, signal) => {
      const error = new Error(`load agent exited (${signal ?? `code ${code}`}) with calls pending`);
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
  }

  static start(): LoadAgent {
    const child = spawnWithFdLimit(process.execPath, [AGENT_ENTRY], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new LoadAgent(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<K extends AgentCallName>(call: K, args: AgentCalls[K]['args'], timeoutMs: number): Promise<AgentCalls[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`load agent: ${call} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as AgentCalls[K]['result']);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, call, args });
    });
  }

  stop(): Promise<void> {
    return stopChild(this.child, 3000);
  }
}
