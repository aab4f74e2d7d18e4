import { createServer, type AddressInfo, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, pipelinedTransaction } from '@/db/client';

/**
 * A node that is told to stop releases PostgreSQL in bounded time, whatever its connections are
 * doing: postgres.js's own end() waited forever in both cases below. (The outage test's clean-up,
 * which closes a pool whose connections had just lived through a restart, once timed out in CI.)
 */
const GRACE_MS = 3_000;

/** A server that takes connections and never answers, as a database host that hangs does. */
async function silentServer() {
  const sockets = new Set<Socket>();
  let accepted!: () => void;
  const connected = new Promise<void>((resolve) => (accepted = resolve));
  const server = createServer((socket) => {
    sockets.add(socket);
    accepted();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connected,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

async function timeToClose(close: () => Promise<void>): Promise<number> {
  const started = Date.now();
  await close();
  return Date.now() - started;
}

describe('closing the PostgreSQL pool', () => {
  it('ends while a connection is still trying to reach a server that does not answer, and fails its statement', async () => {
    const server = await silentServer();
    try {
      const handle = openDatabase({ url: `postgres://postgres@127.0.0.1:${server.port}/postgres` });
      const statement = handle.db.execute(sql`select 1`).then(
        () => 'answered',
        () => 'failed',
      );
      await server.connected;
      expect(await timeToClose(() => handle.close())).toBeLessThan(GRACE_MS + 2_000);
      expect(await statement).toBe('failed');
    } finally {
      server.stop();
    }
  }, 10_000);

  it.skipIf(!process.env.DATABASE_URL)(
    'ends when a transaction that was running as it began finishes, having let it commit',
    async () => {
      const handle = openDatabase({ url: process.env.DATABASE_URL! });
      let letFinish!: () => void;
      const finishing = new Promise<void>((resolve) => (letFinish = resolve));
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const transaction = pipelinedTransaction(handle.db, async (tx, commit) => {
        await tx.execute(sql`select 1`);
        started();
        await finishing;
        return commit<{ done: number }>(sql`select ${1}::int as done`);
      });
      await running;
      const closing = timeToClose(() => handle.close());
      letFinish();
      expect(await transaction).toEqual([{ done: 1 }]);
      expect(await closing).toBeLessThan(GRACE_MS + 2_000);
    },
    10_000,
  );
});
