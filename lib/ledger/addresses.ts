import { createHmac } from 'node:crypto';
import { LedgerError } from './errors';
import { CURRENCIES, isCurrency } from './market';

/**
 * Crypto addresses of the demo: deposit addresses derived deterministically (and recognisably
 * fake — they receive nothing) and the format checks an external withdrawal's address must pass.
 */
const ADDRESS_FORMATS: Record<string, RegExp> = {
  bitcoin: /^(bc1[ac-hj-np-z02-9]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})$/,
  ethereum: /^0x[0-9a-fA-F]{40}$/,
  tron: /^T[1-9A-HJ-NP-Za-km-z]{33}$/,
};

/** The blockchain to use for a currency: the one given (checked), or the currency's only one. */
export function resolveBlockchain(currency: string, blockchain: string | undefined): string {
  if (!isCurrency(currency)) throw new LedgerError('invalid', `currency: unknown currency ${currency}`);
  const chains: readonly string[] = CURRENCIES[currency].blockchains;
  if (chains.length === 0) throw new LedgerError('invalid', `currency: ${currency} is not a crypto currency`);
  if (blockchain === undefined) {
    if (chains.length === 1) return chains[0];
    throw new LedgerError('invalid', `blockchain: required for ${currency} (${chains.join(', ')})`);
  }
  if (!chains.includes(blockchain))
    throw new LedgerError('invalid', `blockchain: ${currency} is not available on '${blockchain.slice(0, 32)}' (${chains.join(', ')})`);
  return blockchain;
}

export function isValidAddress(blockchain: string, address: string): boolean {
  return ADDRESS_FORMATS[blockchain]?.test(address) ?? false;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const pick = (bytes: Buffer, alphabet: string, n: number) =>
  Array.from(bytes.subarray(0, n), (b) => alphabet[b % alphabet.length]).join('');

/** A stable demo address per (account, sub-account, currency, blockchain), shaped like the real kind. */
export function depositAddress(accountId: string, subAccount: string, currency: string, blockchain: string): string {
  const digest = createHmac('sha512', 'keydesk-demo-deposit-address')
    .update([accountId, subAccount, currency, blockchain].join('\n'))
    .digest();
  if (blockchain === 'bitcoin') return `bc1q${pick(digest, BECH32, 38)}`;
  if (blockchain === 'tron') return `T${pick(digest, BASE58, 33)}`;
  return `0x${digest.subarray(0, 20).toString('hex')}`;
}
