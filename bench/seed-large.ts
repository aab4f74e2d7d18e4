import { usesEmbeddedDatabase } from '@/lib/platform/config';
import { openConfiguredDatabase } from '@/lib/platform/database';
import { seedLargeDataset } from './large-dataset';
import { seedDemo } from '@/lib/identity/demo-accounts';
import { keyring } from '@/lib/platform/keyring';

/**
 * `npm run seed:large -- 1000000`: adds that many generated API keys (default one million) to the
 * configured database — PostgreSQL with DATABASE_URL, else the embedded one in ./data, which is
 * locked, so this refuses to run while a server has it open.
 */
const MAX_KEYS = 20_000_000;

function keyCountFrom(arg: string | undefined): number {
  if (arg === undefined) return 1_000_000;
  const n = Number(arg.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1 || n > MAX_KEYS)
    throw new Error(`Usage: npm run seed:large -- <number of keys, 1 to ${MAX_KEYS.toLocaleString('en')}>`);
  return n;
}

async function main() {
  const keys = keyCountFrom(process.argv[2]);
  keyring(); // the demo seed seals a secret: on PostgreSQL this refuses, before writing, without the server's key
  const handle = openConfiguredDatabase();
  try {
    await handle.migrate();
    await seedDemo(handle.db);
    console.info(`Adding ${keys.toLocaleString('en')} API keys to the ${usesEmbeddedDatabase() ? 'embedded' : 'PostgreSQL'} database…`);
    const seconds = await seedLargeDataset(handle.db, keys, { log: console.info });
    console.info(`Done in ${seconds.toFixed(1)} s.`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
