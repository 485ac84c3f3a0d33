// Clients for the ntfy-compatible API in tests: a line reader for /json and /raw
// streams (openStreamingGet, one parsed line per message), and real curl, as the docs' and
// the tools' examples run it.

import { execFile } from 'node:child_process';
import { openStreamingGet, waitUntil, type OpenResponse } from './herald-test-server.ts';

export interface LineStream extends OpenResponse {
  /** Every line received, without its newline. */
  lines: string[];
  /** The lines parsed as JSON (for /json). */
  json(): any[];
  /** The JSON lines whose event is `message`. */
  messages(): any[];
  waitForMessages(count: number, timeoutMs?: number): Promise<any[]>;
}

/** GET a newline-delimited stream (ntfy's /json or /raw). */
export function openLineStream(url: string, headers: Record<string, string> = {}): Promise<LineStream> {
  return openStreamingGet(url, headers, (response) => {
    let buffer = '';
    const stream: LineStream = {
      ...response,
      lines: [],
      json: () => stream.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)),
      messages: () => stream.json().filter((m) => m.event === 'message'),
      async waitForMessages(count, timeoutMs = 5000) {
        await waitUntil(
          () => stream.messages().length >= count,
          () => `expected ${count} messages, got ${stream.messages().length}: ${stream.lines.join(' | ').slice(0, 400)}`,
          timeoutMs,
        );
        return stream.messages().slice(0, count);
      },
    };
    const feed = (chunk: string): void => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        stream.lines.push(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    };
    return { stream, feed };
  });
}

/** Run the real curl (`-sS`, so errors still print), bounded in time; its stdout. */
export function curl(args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sS', ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`curl ${args.join(' ')}: ${error.message} ${stderr}`));
      else resolve(stdout);
    });
  });
}
