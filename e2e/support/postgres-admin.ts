import { createPostgresDatabase, dropPostgresDatabase, postgresDatabases } from '@/test/support/databases';

/**
 * `tsx e2e/support/postgres-admin.ts create|drop <name>`, with the admin connection in
 * KEYDESK_E2E_ADMIN_URL (already checked to be local by run-environment.ts). The databases
 * themselves are made and dropped by test/support/databases.ts, as for vitest.
 */

const NAME = /^keydesk_e2e_(\d+)_\d+$/;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main(command: string | undefined, name: string | undefined): Promise<void> {
  const adminUrl = process.env.KEYDESK_E2E_ADMIN_URL;
  if (!adminUrl) throw new Error('KEYDESK_E2E_ADMIN_URL is not set');
  if (!name || !NAME.test(name)) throw new Error(`Not an e2e database name: ${name}`);
  if (command === 'create') {
    // Databases of earlier runs whose runner died before it could drop them.
    for (const leftover of await postgresDatabases(adminUrl, 'keydesk_e2e_')) {
      const owner = NAME.exec(leftover);
      if (owner && !processIsAlive(Number(owner[1]))) await dropPostgresDatabase(adminUrl, leftover);
    }
    await createPostgresDatabase(adminUrl, name);
  } else if (command === 'drop') {
    await dropPostgresDatabase(adminUrl, name);
  } else {
    throw new Error(`Unknown command: ${command}`);
  }
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
