import postgres from 'postgres';

/**
 * `tsx e2e/support/postgres-admin.ts create|drop <name>`, with the admin connection in
 * KEYDESK_E2E_ADMIN_URL (already checked to be local by run-environment.ts).
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
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    if (command === 'create') {
      // Databases of earlier runs whose runner died before it could drop them.
      const leftovers = await sql<{ datname: string }[]>`select datname from pg_database where datname like 'keydesk\_e2e\_%'`;
      for (const { datname } of leftovers) {
        const owner = NAME.exec(datname);
        if (owner && !processIsAlive(Number(owner[1]))) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
      }
      await sql.unsafe(`create database "${name}"`);
    } else if (command === 'drop') {
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
    } else {
      throw new Error(`Unknown command: ${command}`);
    }
  } finally {
    await sql.end();
  }
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
