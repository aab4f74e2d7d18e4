import { dataDir, encryptionKey, mayGenerateLocalSecrets } from './config';
import { deriveSubkey, loadKeyring, type Keyring } from './crypto';

let cached: Keyring | undefined;

/** The key-encryption keys: `KEYDESK_ENCRYPTION_KEY`, or a key generated once into ./data for local use. */
export function keyring(): Keyring {
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
