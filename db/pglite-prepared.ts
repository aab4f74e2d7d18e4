import { parse, PGlite, protocol, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';

const { serialize } = protocol;

/** Statement texts kept prepared; past it the least recently used is closed (drizzle's `inArray` makes one text per list length). */
export const STATEMENTS_KEPT = 500;

/** SQLSTATEs that mean a kept statement no longer fits the schema: it is dropped and prepared again. */
const STALE_STATEMENT = new Set(['26000', '0A000']);

const DESCRIBE_PORTAL = serialize.describe({ type: 'P' });
const EXECUTE = serialize.execute({});
const SYNC = serialize.sync();

interface Statement {
  name: string;
  paramTypes: number[];
}

/**
 * PGlite that prepares each statement text once, as postgres.js does on PostgreSQL.
 *
 * PGlite's own query() parses and plans every statement anew, and crosses into its WASM backend
 * six times to do it (parse, describe, bind, describe, execute, sync). For the console's small
 * reads that was most of their cost: the signed-in user's statement took 0.92 ms through drizzle,
 * 0.37 ms prepared. Here a text is parsed once into a named statement, each call is one
 * bind-describe-execute-sync message, and the answer is read by PGlite's own result parser, so
 * rows, errors and notifications are what query() gives. Options this path does not know (a
 * blob, explicit parameter types) go to query() itself.
 */
export class PreparedPGlite extends PGlite {
  statementsKept = STATEMENTS_KEPT;
  readonly #statements = new Map<string, Statement>();
  #toClose: string[] = [];
  #named = 0;

  /** How many statement texts are prepared now (for tests). */
  get preparedCount(): number {
    return this.#statements.size;
  }

  override async query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    if (!preparable(options)) return super.query<T>(text, params, options);
    await this._checkReady();
    return this._runExclusiveTransaction(() => this.#run<T>(text, params, options, false));
  }

  override transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return super.transaction((tx) => {
      const query = async <R>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<R>> => {
        if (tx.closed) throw new Error('Transaction is closed');
        return preparable(options) ? this.#run<R>(text, params, options, true) : tx.query<R>(text, params, options);
      };
      // The transaction's other members (exec, rollback, `closed`) stay its own.
      return work(Object.assign(Object.create(tx) as Transaction, { query }));
    });
  }

  #run<T>(text: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean): Promise<Results<T>> {
    return this._runExclusiveQuery(async () => {
      let messages;
      try {
        messages = await this.#execute(text, params, options);
      } catch (error) {
        // Dropped or changed under it (DDL): prepared again, once, where no transaction has been spoiled.
        if (inTransaction || !isStale(error)) throw described(error, text, params, options);
        messages = await this.#execute(text, params, options).catch((again: unknown) => {
          throw described(again, text, params, options);
        });
      }
      if (!inTransaction) await this.syncToFs();
      return parse.parseResults(
        messages,
        this.#parsersFor(messages, options),
        options && { ...options, parsers: undefined },
      )[0] as Results<T>;
    });
  }

  async #execute(text: string, params: unknown[], options: QueryOptions | undefined) {
    const statement = this.#kept(text) ?? (await this.#prepare(text));
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = statement.paramTypes[i];
      const serializer = options?.serializers?.[type] ?? this.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    const bind = serialize.bind({ statement: statement.name, values });
    try {
      return (await this.execProtocol(concat([bind, DESCRIBE_PORTAL, EXECUTE, SYNC]), { syncToFs: false })).messages;
    } catch (error) {
      if (isStale(error)) this.#forget(text, statement.name);
      throw error;
    }
  }

  /**
   * The type parsers for one answer: the query's own (drizzle passes nine, to keep dates as text)
   * over PGlite's, for the types of the answer's columns only. PGlite's parser would merge the two
   * by copying its whole map (318 types) for every query, 67 µs here.
   */
  #parsersFor(messages: Parameters<typeof parse.parseResults>[0], options: QueryOptions | undefined): PGlite['parsers'] {
    const own = options?.parsers;
    if (!own) return this.parsers;
    const parsers: PGlite['parsers'] = {};
    for (const message of messages) {
      if (!(message instanceof protocol.messages.RowDescriptionMessage)) continue;
      for (const { dataTypeID } of message.fields) parsers[dataTypeID] = own[dataTypeID] ?? this.parsers[dataTypeID];
    }
    return parsers;
  }

  /** The text's statement, marked as the most recently used. */
  #kept(text: string): Statement | undefined {
    const statement = this.#statements.get(text);
    if (statement) {
      this.#statements.delete(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  async #prepare(text: string): Promise<Statement> {
    const name = `keydesk_${++this.#named}`;
    // Statements evicted earlier are closed in the same message.
    const closes = this.#toClose.map((old) => serialize.close({ type: 'S', name: old }));
    this.#toClose = [];
    const { messages } = await this.execProtocol(
      concat([...closes, serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), SYNC]),
      { syncToFs: false },
    );
    const description = messages.find((m) => m instanceof protocol.messages.ParameterDescriptionMessage);
    const statement = { name, paramTypes: description?.dataTypeIDs ?? [] };
    this.#statements.set(text, statement);
    for (const [oldest, { name: oldName }] of this.#statements) {
      if (this.#statements.size <= this.statementsKept) break;
      this.#forget(oldest, oldName);
    }
    return statement;
  }

  /** No longer kept; closed on the server with the next statement prepared. */
  #forget(text: string, name: string): void {
    this.#statements.delete(text);
    this.#toClose.push(name);
  }
}

const preparable = (options?: QueryOptions) => !options?.blob && !options?.paramTypes;

const isStale = (error: unknown) => error instanceof protocol.messages.DatabaseError && STALE_STATEMENT.has(error.code ?? '');

/** As PGlite's query() reports a database error: with the statement, its parameters and options. */
function described(error: unknown, query: string, params: unknown[], queryOptions: QueryOptions | undefined): unknown {
  if (error instanceof protocol.messages.DatabaseError) Object.assign(error, { query, params, queryOptions });
  return error;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
