// Every table, for drizzle (client, drizzle-kit) and for queries: the console's (people, accounts,
// keys, second factors, audit, outbox) and the ledger's that the API keys operate on.
export * from './console-schema';
export * from './ledger-schema';
export * from './usage-schema';
