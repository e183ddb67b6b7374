import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server of the replica, listening on 127.0.0.1. */
export interface LoopbackServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  origin: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 on a free port (port 0: the kernel picks one, so two
 * demos or a test run never collide) and returns the origin and a close()
 * that also drops kept-alive connections, so no socket outlives the demo.
 */
export async function listenLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
