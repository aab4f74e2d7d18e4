/**
 * `table[key]` for a key that comes from outside (a query parameter, a stored code): the table's
 * own entries only, so "__proto__", "constructor" or "toString" find nothing instead of an
 * Object.prototype member — which a page would hand React to render, and fail with a 500.
 */
export function ownEntry<V>(table: Readonly<Record<string, V>>, key: string | null | undefined): V | undefined {
  return key != null && Object.hasOwn(table, key) ? table[key] : undefined;
}
