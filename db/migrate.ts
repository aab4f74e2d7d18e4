import { usesEmbeddedDatabase } from '@/lib/config';
import { openDatabase } from './client';
import { demoAccountsText, seedDemo } from './seed';

/**
 * `npm run db:migrate` / `npm run db:seed`: the configured database (PostgreSQL with DATABASE_URL,
 * else ./data). The embedded folder is locked, so this refuses to run beside a live server.
 */
async function main(seed: boolean) {
  const handle = openDatabase({ url: process.env.DATABASE_URL });
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

main(process.argv.includes('--seed')).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
