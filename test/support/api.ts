import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { accounts, apiKeys } from '@/db/schema';
import { ApiGateway, type RestRequest } from '@/lib/api/gateway';
import { attachWebSocketApi } from '@/lib/api/ws-server';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { encryptSecret } from '@/lib/platform/crypto';
import { eventHub } from '@/lib/platform/events';
import { keyring } from '@/lib/platform/keyring';
import type { Permission } from '@/lib/keys/permissions';
import { restSignature } from '@/lib/api/signing';

export interface TestKey {
  id: string;
  publicKey: string;
  secret: string;
  accountId: string;
}

export async function accountIdOf(handle: DbHandle, name: string): Promise<string> {
  const [row] = await handle.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, name));
  return row.id;
}

let counter = 0;

/** Inserts a key straight into the database, as the create flow would leave it. */
export async function makeKey(
  handle: DbHandle,
  accountId: string,
  opts: { permissions?: Permission[]; ipWhitelist?: string[]; status?: 'active' | 'inactive'; expiresAt?: Date | null; suspendedAt?: Date | null; revokedAt?: Date | null } = {},
): Promise<TestKey> {
  const publicKey = newPublicKey();
  const secret = newApiSecret();
  const [row] = await handle.db
    .insert(apiKeys)
    .values({
      accountId,
      name: `test key ${++counter}`,
      publicKey,
      secretEnc: encryptSecret(secret, publicKey, keyring()),
      permissions: opts.permissions ?? ['read'],
      ipWhitelist: opts.ipWhitelist ?? [],
      status: opts.status ?? 'active',
      expiresAt: opts.expiresAt ?? null,
      suspendedAt: opts.suspendedAt ?? null,
      revokedAt: opts.revokedAt ?? null,
    })
    .returning({ id: apiKeys.id });
  return { id: row.id, publicKey, secret, accountId };
}

/** A REST request exactly as a client library would sign it. */
export function signed(key: TestKey, action: string, body: unknown = {}, opts: { timestamp?: number; ip?: string | null; raw?: string } = {}): RestRequest {
  const rawBody = Buffer.from(opts.raw ?? JSON.stringify(body), 'utf8');
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  return { action, key: key.publicKey, timestamp, signature: restSignature(key.secret, action, timestamp, rawBody), rawBody, ip: opts.ip === undefined ? '127.0.0.1' : opts.ip };
}

/** The WebSocket API on a plain HTTP server: the same code the custom server mounts. */
export async function startWsServer(handle: DbHandle, gateway: ApiGateway): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  await eventHub().start(handle);
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = attachWebSocketApi(server, gateway, () => '127.0.0.1');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/api/ws`,
    server,
    close: async () => {
      wss.clients.forEach((c) => c.terminate());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
