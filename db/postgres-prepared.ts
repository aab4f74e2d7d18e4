import type postgres from 'postgres';

/**
 * postgres.js as drizzle should drive it: every statement with parameters prepared once per
 * connection, then only bound and executed.
 *
 * Drizzle asks postgres.js to prepare a statement only when it was given a name
 * (`.prepare('name')`); every other statement goes out unnamed, and postgres.js, to learn its
 * parameters' types, first sends it to be described and waits for the answer before it binds and
 * executes it — two round trips and two socket writes a statement, and nothing queued behind it
 * on the connection goes out meanwhile, so statements meant to travel together (a pipelined
 * transaction's reads) went one after another. Prepared, a statement is described once per
 * connection and afterwards costs one round trip, as postgres.js's own tagged templates do.
 *
 * The texts are drizzle's, with values as parameters: a bounded set (an `IN` list makes one text
 * per length), and postgres.js closes a connection, its statements with it, after 30–60 minutes.
 * A table changed under a prepared statement is planned again by PostgreSQL when the statement's
 * result keeps its shape (drizzle lists its columns, so an added column keeps it). When the shape
 * changes (a column's type), postgres.js re-prepares the statement only if it was alone on its
 * connection; pipelined behind another, it hangs (postgres.js 3.4.9): hence the README's advice to
 * restart the nodes after such a migration.
 */
export function preparingStatements(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, property) {
      switch (property) {
        case 'unsafe':
          // Without parameters the simple protocol is used, which prepares nothing; any other
          // form of the call (`unsafe(text, options)`) passes through as it came.
          return (...call: Parameters<postgres.Sql['unsafe']>) => {
            const [query, args, options] = call;
            return Array.isArray(args) && args.length > 0
              ? target.unsafe(query, args, { ...options, prepare: true })
              : target.unsafe(...call);
          };
        case 'begin':
        case 'savepoint':
          // The transaction's own `sql` (its connection) prepares as this one does.
          return (...args: unknown[]) => {
            const work = args.pop() as (tx: postgres.Sql) => unknown;
            const open = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[property];
            return open(...args, (tx: postgres.Sql) => work(preparingStatements(tx)));
          };
        case 'reserve':
          return async () => preparingStatements(await target.reserve());
        default:
          return target[property as keyof postgres.Sql];
      }
    },
  });
}
