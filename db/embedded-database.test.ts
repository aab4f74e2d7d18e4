import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openDatabase, rowsOf } from './client';

it('the embedded database prices random reads for pages in memory, as the server opens it', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'keydesk-embedded-'));
  const handle = openDatabase({ dir: path.join(folder, 'pglite') });
  try {
    const [row] = rowsOf<{ random_page_cost: string }>(await handle.db.execute(sql`show random_page_cost`));
    expect(row.random_page_cost).toBe('1.1');
  } finally {
    await handle.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
