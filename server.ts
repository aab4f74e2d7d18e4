import { createServer } from 'node:http';
import next from 'next';
import { databaseHandle, getDb } from '@/db/client';
import { demoAccountsText, seedDemo } from '@/db/seed';
import { apiGateway } from '@/lib/api/gateway';
import { attachWebSocketApi } from '@/lib/api/ws-server';
import { clientIpOf } from '@/lib/client-ip';
import { appUrl, ensureSecret, usesEmbeddedDatabase } from '@/lib/config';
import { eventHub } from '@/lib/events';
import { keyring } from '@/lib/keyring';
import { startMessageDispatcher } from '@/lib/message-dispatcher';
import { messageTransports } from '@/lib/message-transports';
import { CLIENT_IP_HEADER } from '@/lib/request-header';

/**
 * `npm start`: open (and lock) the database, migrate, seed the embedded one on first start, then
 * hand HTTP to Next and WebSocket upgrades of /api/ws to the API. Secrets missing in production
 * on a real database stop us here, not later.
 */
async function main() {
  const dev = process.argv.includes('--dev');
  const port = Number.parseInt(process.env.PORT ?? '3000', 10);
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  ensureSecret('NEXTAUTH_SECRET', 'nextauth.secret');
  keyring();
  const transports = messageTransports(); // a bad KEYDESK_SMTP_URL & co. stop start-up here

  const handle = databaseHandle();
  await handle.migrate();
  if (usesEmbeddedDatabase() && (await seedDemo(handle.db))) console.info('Seeded the embedded database.');
  if (usesEmbeddedDatabase()) console.info(demoAccountsText());
  await eventHub().start(handle);
  const messages = transports ? await startMessageDispatcher(handle, transports) : null;

  const app = next({ dev, port });
  await app.prepare();
  const handleRequest = app.getRequestHandler();
  const server = createServer((req, res) => {
    // Overwrite whatever the client sent: pages trust this header as the caller's address.
    req.headers[CLIENT_IP_HEADER] = clientIpOf(req) ?? '';
    void handleRequest(req, res);
  });
  const gateway = apiGateway(getDb);
  attachWebSocketApi(server, gateway, clientIpOf, dev ? app.getUpgradeHandler() : undefined);
  server.listen(port, () => console.info(`Keydesk is listening on ${appUrl()}`));

  const stop = () => {
    server.close();
    void gateway.lastUsed
      .flush()
      .then(() => messages?.stop())
      .then(() => handle.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
