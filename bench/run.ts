/** `npm run bench` (after `npm run build`): every benchmark, one after the other. */
import { benchAdmin } from './admin';
import { benchApi } from './api';
import { explainAdmin } from './explain-admin';
import { benchIsolation } from './isolation';
import { benchLedger } from './ledger';
import { benchPages } from './pages';

async function main() {
  const only = process.argv[2];
  if (!only || only === 'api') await benchApi();
  if (!only || only === 'ledger') await benchLedger();
  if (!only || only === 'pages') await benchPages();
  if (!only || only === 'admin') await benchAdmin();
  if (!only || only === 'isolation') await benchIsolation();
  // Not part of the full run: it reads a database filled beforehand (npm run seed:large).
  if (only === 'explain') await explainAdmin();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
