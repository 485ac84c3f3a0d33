// A free TCP port on 127.0.0.1, for servers a test or benchmark starts in another
// process (which cannot be handed port 0 and report back). The port is free when
// this returns; another process could take it before ours binds, which on a test
// machine does not happen in practice.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
