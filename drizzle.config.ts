import { defineConfig } from 'drizzle-kit';

// `generate` needs no database: migrations are built from db/schema.ts and committed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
