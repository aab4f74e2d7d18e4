import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { databaseHandle, getDb, openConfiguredDatabase } from '@/lib/platform/database';
import { demoAccountsText, seedDemo } from '@/lib/identity/demo-accounts';
import { apiGateway } from '@/lib/api/gateway';
import { attachWebSocketApi } from '@/lib/api/ws-server';
import { restApiListener } from '@/lib/api/http-api';
import { apiNodeListener } from '@/lib/api/api-node';
import { clientIpOf } from '@/lib/platform/client-ip';
import {
  appUrl,
  databaseDeadlineMs,
  defaultAppUrlTo,
  embeddedVacuumIntervalMs,
  ensureSecret,
  maxApiCallsInFlight,
  reminderIntervalMs,
  serverPort,
  serverRole,
  type ServerRole,
  usageRollupIntervalMs,
  usesEmbeddedDatabase,
} from '@/lib/platform/config';
import { eventHub } from '@/lib/platform/events';
import { keyring } from '@/lib/platform/keyring';
import { log } from '@/lib/platform/log';
import { instrumented, metrics, metricsListener } from '@/lib/platform/metrics';
import { startMessageDispatcher } from '@/lib/messaging/dispatcher';
import { startOrderExpiry } from '@/lib/ledger/order-expiry';
import { startKeyReminders } from '@/lib/keys/reminder-job';
import { startUsageRollup } from '@/lib/api/usage-rollup';
import { startEmbeddedMaintenance } from '@/lib/platform/embedded-maintenance';
import { messageTransports } from '@/lib/messaging/transports';
import { buildFilesFromMemory } from '@/lib/platform/build-files';
import { compressedResponses } from '@/lib/platform/compression';
import { guardedHandler } from '@/lib/platform/http-edge';
import { withPageTiming } from '@/lib/platform/page-timing';
import { serverTls } from '@/lib/platform/tls';
import { edgeConfig, type EdgeConfig } from '@/lib/platform/same-origin';

/**
 * `npm start`: open (and lock) the database, migrate, seed the embedded one on first start, then
 * serve the REST and WebSocket API itself and hand every other request to Next. Secrets missing in production
 * on a real database stop us here, not later.
 */
/**
 * `npm run db:migrate` / `npm run db:seed` (`--migrate [--seed]`): the configured database, then
 * exit. The embedded folder is locked, so this refuses to run beside a live server.
 */
async function migrateOnly(seed: boolean) {
  // Seeding seals the demo authenticator secret: on PostgreSQL without the server's key this
  // stops here, before the database is touched.
  if (seed) keyring();
  const handle = openConfiguredDatabase();
  try {
    await handle.migrate();
    console.info(`Migrated the ${usesEmbeddedDatabase() ? 'embedded' : 'PostgreSQL'} database.`);
    if (seed) {
      const created = await seedDemo(handle.db);
      console.info(created ? 'Seeded demo accounts.' : 'Demo accounts already present.');
      console.info(demoAccountsText());
    }
  } finally {
    await handle.close();
  }
}

async function main() {
  if (process.argv.includes('--migrate')) return migrateOnly(process.argv.includes('--seed'));
  const dev = process.argv.includes('--dev');
  const port = serverPort();
  const role = serverRole(); // KEYDESK_ROLE=api on the embedded database stops start-up here
  const tls = await serverTls(); // a bad KEYDESK_TLS_* stops start-up here
  defaultAppUrlTo(port, tls ? 'https' : 'http');
  keyring(); // first: on PostgreSQL without KEYDESK_ENCRYPTION_KEY, stop before writing anything
  if (role === 'all') ensureSecret('NEXTAUTH_SECRET', 'nextauth.secret'); // the console's sessions
  const transports = messageTransports(); // a bad KEYDESK_SMTP_URL & co. stop start-up here

  const handle = databaseHandle();
  await handle.migrate();
  if (usesEmbeddedDatabase() && (await seedDemo(handle.db))) log.info('seeded the embedded database with the demo accounts');
  // For the person trying the demo, not a log event: plain text.
  if (usesEmbeddedDatabase()) process.stdout.write(`${demoAccountsText()}\n`);
  await eventHub().start(handle);
  const messages = transports ? await startMessageDispatcher(handle, transports) : null;
  const orderExpiry = startOrderExpiry(getDb);
  const reminders = startKeyReminders(getDb, reminderIntervalMs());
  const usageRollup = startUsageRollup(getDb, usageRollupIntervalMs());
  // PostgreSQL servers vacuum themselves; the embedded database has no autovacuum.
  const maintenance = usesEmbeddedDatabase() ? startEmbeddedMaintenance(getDb, embeddedVacuumIntervalMs()) : null;

  // PGlite runs in this process; PostgreSQL can be down, and a call must not wait for it to return.
  const gateway = apiGateway(getDb, usesEmbeddedDatabase() ? {} : { deadlineMs: databaseDeadlineMs(), maxInFlight: maxApiCallsInFlight() });
  // The configuration read once, not for each request: reading the environment is costly, and it
  // does not change while we serve.
  const edge = edgeConfig();
  const clientIp = (req: IncomingMessage) => clientIpOf(req, edge.proxies);
  // The trading API answers first, with node:http alone; everything else is the console's (Next),
  // or on an API node its health, readiness and a 404.
  const api = restApiListener(gateway, clientIp, edge);
  const metricsEndpoint = metricsListener(clientIp);
  metrics().useDatabase(databaseHandle);
  const rest = await restOfTheSite(role, dev, port, edge);
  const listener: RequestListener = instrumented(
    (req, res) => api(req, res) || metricsEndpoint(req, res) || rest.listener(req, res),
    clientIp,
  );
  // With a certificate the same port speaks https and wss (HTTP/1.1, upgrades included).
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener) : createServer(listener);
  attachWebSocketApi(server, gateway, clientIp, rest.upgrade);
  try {
    await listenOn(server, port);
  } catch (error) {
    // Nothing serves without the port: release the database (and its lock) and stop, non-zero.
    await Promise.allSettled([messages?.stop(), orderExpiry.stop(), reminders.stop(), usageRollup.stop(), maintenance?.stop()]);
    await handle.close();
    throw error;
  }
  log.info(
    { url: appUrl(), tls: tls?.source ?? null, role },
    `Keydesk is listening on ${appUrl()}${role === 'api' ? ' (the API only)' : ''}`,
  );

  const stop = () => {
    server.close();
    void gateway
      .flush()
      .then(() => messages?.stop())
      .then(() => orderExpiry.stop())
      .then(() => reminders.stop())
      .then(() => usageRollup.stop())
      .then(() => maintenance?.stop())
      .then(() => handle.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * What answers beyond the API and the metrics: on an API node its probes and a 404; otherwise the
 * console — Next, behind the browser defences, compressed. An API node never loads Next, so none
 * of Next's process-wide hooks (its async contexts, its wrapped clock) taxes the API's calls.
 */
async function restOfTheSite(
  role: ServerRole,
  dev: boolean,
  port: number,
  edge: EdgeConfig,
): Promise<{ listener: RequestListener; upgrade?: Parameters<typeof attachWebSocketApi>[3] }> {
  if (role === 'api') return { listener: apiNodeListener(databaseHandle, databaseDeadlineMs(), edge) };
  const { default: next } = await import('next');
  const app = next({ dev, port });
  await app.prepare();
  const handleRequest = app.getRequestHandler();
  // Known down: the heartbeat of the change notifications is lost (within a second of an outage).
  const pages = withPageTiming(
    compressedResponses(
      guardedHandler(
        buildFilesFromMemory((req, res) => void handleRequest(req, res)),
        { dev, databaseDown: () => !eventHub().hears(), edge },
      ),
    ),
  );
  return { listener: pages, upgrade: dev ? app.getUpgradeHandler() : undefined };
}

/** Listens on `port`, or fails with a message an operator can act on (the port taken, not allowed). */
function listenOn(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`Port ${port} is already in use: stop what listens there, or set PORT.`));
      else if (error.code === 'EACCES') reject(new Error(`Not allowed to listen on port ${port}: choose a port above 1023, or set PORT.`));
      else reject(error);
    });
    server.listen(port, resolve);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
