// Stands in for the `server-only` package (vitest.config.ts alias): tests run on the server anyway.
export {};
