// Clients for the ntfy-compatible API in tests: a line reader for /json and /raw
// streams (node:http, one parsed line per message), and real curl, as the docs' and
// the tools' examples run it.

import { request } from 'node:http';
import { execFile } from 'node:child_process';
import { waitUntil } from './herald-test-server.ts';

export interface LineStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every line received, without its newline. */
  lines: string[];
  /** The lines parsed as JSON (for /json). */
  json(): any[];
  /** The JSON lines whose event is `message`. */
  messages(): any[];
  waitForMessages(count: number, timeoutMs?: number): Promise<any[]>;
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

/** GET a newline-delimited stream (ntfy's /json or /raw). */
export function openLineStream(url: string, headers: Record<string, string> = {}): Promise<LineStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let buffer = '';
      let ended = false;
      let markEnded!: () => void;
      const stream: LineStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
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
        ended: new Promise<void>((r) => (markEnded = r)),
        isEnded: () => ended,
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          stream.lines.push(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
        }
      });
      const finish = (): void => {
        ended = true;
        markEnded();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
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
