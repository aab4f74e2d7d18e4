import fs from 'node:fs';
import path from 'node:path';
import { dataDir, encryptionKey, mayGenerateLocalSecrets, usesEmbeddedDatabase } from './config';
import { deriveSubkey, KEY_FILE_NAME, loadKeyring, type Keyring } from './crypto';

let cached: Keyring | undefined;

/**
 * On PostgreSQL the key must be given, never read from or generated into a data folder: the
 * seed, the server and every app server must encrypt with the same key, and a folder's key is
 * only that folder's (a seed run without the key used to write its own, and the server, given
 * the real one, could not read what was seeded). The embedded database keeps its zero-config key.
 */
function missingKeyOnPostgres(): Error {
  const file = path.join(dataDir(), KEY_FILE_NAME);
  const hint = fs.existsSync(/* turbopackIgnore: true */ file)
    ? ` ${file} exists from an earlier run: if that run wrote this database's secrets, set the variable to its content.`
    : '';
  return new Error(
    'KEYDESK_ENCRYPTION_KEY is not set. With DATABASE_URL (PostgreSQL) the server and `npm run db:seed` must be given ' +
      'the same key: 32 random bytes in base64 (openssl rand -base64 32). Nothing was written.' +
      hint,
  );
}

/** The key-encryption keys: `KEYDESK_ENCRYPTION_KEY`, or (embedded database only) a key generated once into ./data. */
export function keyring(): Keyring {
  if (!cached && !usesEmbeddedDatabase() && !encryptionKey()?.trim()) throw missingKeyOnPostgres();
  cached ??= loadKeyring({
    envValue: encryptionKey(),
    dataDir: dataDir(),
    allowGenerate: mayGenerateLocalSecrets(),
  });
  return cached;
}

/** Keyed hashing of one-time codes, so a database dump does not reveal live codes. */
export function codeHashKey(): Buffer {
  return deriveSubkey(keyring(), 'keydesk one-time codes');
}
