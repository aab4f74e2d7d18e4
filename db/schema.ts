// Every table, for drizzle (client, drizzle-kit) and for queries: the console's (people, accounts,
// second factors, audit, outbox), the API keys' and their usage, and the ledger's that the keys
// operate on.
export * from './console-schema';
export * from './keys-schema';
export * from './ledger-schema';
export * from './usage-schema';
