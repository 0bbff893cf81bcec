import type * as PgliteModule from "@electric-sql/pglite";
import type { PGlite, QueryOptions, Results, Transaction } from "@electric-sql/pglite";

// PGlite's query() sends every statement unnamed, in five protocol round trips into its
// WebAssembly PostgreSQL (Parse, Describe, Bind, Describe, Execute) plus a Sync, so each query is
// parsed, analysed and planned again, which was most of PGlite's time for a cheap query (figures:
// decision 015). This keeps a named prepared statement per SQL
// text, as postgres.js does on a real PostgreSQL, and runs a repeat as one Bind/Execute/Sync.

/** Statements kept per database; the least recently used one is closed beyond this. */
export const MAX_PREPARED_STATEMENTS = 256;

/** PostgreSQL lost the statement (DEALLOCATE/DISCARD) or its result type changed (DDL): prepare it again. */
const STALE_STATEMENT_CODES = new Set(["26000", "0A000"]);

type BackendMessage = Awaited<ReturnType<PGlite["execProtocol"]>>["messages"][number];
type Field = { name: string; dataTypeID: number };
/** The parts of PGlite's protocol messages read here. */
type Described = BackendMessage & { fields?: Field[]; dataTypeIDs?: number[] };
type DataRow = BackendMessage & { fields: (string | null)[] };
type CommandComplete = BackendMessage & { text: string };
type Parser = (value: string, type: number) => unknown;

interface Statement {
  name: string;
  paramTypes: number[];
  /** The result columns; none for a statement that returns no rows. */
  fields: Field[];
}

interface Scope {
  /** Runs `work` once no other query (nor, at the top level, a transaction) runs. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  inTransaction: boolean;
  checkOpen(): void;
}

/** Drizzle's PGlite driver calls `query` and `transaction`; everything else goes to the client itself. */
export type PreparingClient = Pick<PGlite, "query" | "transaction">;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * A client for drizzle that runs queries as named prepared statements. Results, errors and
 * notifications are PGlite's own: the messages go through its execProtocol and are read as its
 * parseResults reads them (readResult), and the same mutexes keep queries and transactions from
 * interleaving.
 */
export function withPreparedStatements(
  client: PGlite,
  // Passed in rather than imported: the embedded database's code loads only when it is used.
  { protocol: { serialize } }: Pick<typeof PgliteModule, "protocol">,
): PGlite {
  const statements = new Map<string, Statement>();
  let counter = 0;

  async function prepare(text: string): Promise<Statement> {
    // The least recently used statements make room first, closed in the same message.
    const closes: Uint8Array[] = [];
    for (const [oldestText, oldest] of statements) {
      if (statements.size < MAX_PREPARED_STATEMENTS) break;
      statements.delete(oldestText);
      closes.push(serialize.close({ type: "S", name: oldest.name }));
    }
    const name = `tv_${++counter}`;
    const { messages } = await client.execProtocol(
      concat([...closes, serialize.parse({ name, text }), serialize.describe({ type: "S", name }), serialize.sync()]),
      { syncToFs: false },
    );
    const described = messages as Described[];
    const statement: Statement = {
      name,
      paramTypes: described.find((message) => message.name === "parameterDescription")?.dataTypeIDs ?? [],
      fields: (described.find((message) => message.name === "rowDescription")?.fields ?? []).map(
        ({ name, dataTypeID }) => ({ name, dataTypeID }),
      ),
    };
    statements.set(text, statement);
    return statement;
  }

  async function run(
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
    scope: Scope,
  ): Promise<Results<never>> {
    let statement = statements.get(text);
    if (statement) {
      // Most recently used last: the Map's order is the eviction order.
      statements.delete(text);
      statements.set(text, statement);
    } else {
      statement = await prepare(text);
    }
    const { paramTypes } = statement;
    const values = params.map((param, index) => {
      if (param === null || param === undefined) return null;
      const type = paramTypes[index] ?? 0;
      const serializer = options?.serializers?.[type] ?? client.serializers[type];
      return serializer ? serializer(param) : String(param);
    });
    const { messages } = await client.execProtocol(
      concat([serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()]),
      { syncToFs: !scope.inTransaction },
    );
    return readResult(statement.fields, messages, options, client.parsers);
  }

  async function query(text: string, params: unknown[] = [], options: QueryOptions | undefined, scope: Scope) {
    scope.checkOpen();
    return scope.exclusive(async () => {
      try {
        return await run(text, params, options, scope);
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Outside a transaction nothing was aborted by the failure: forget the statement and retry once.
        if (code && STALE_STATEMENT_CODES.has(code) && !scope.inTransaction && statements.has(text)) {
          statements.delete(text);
          return run(text, params, options, scope);
        }
        throw Object.assign(error as object, { query: text, params });
      }
    });
  }

  const topLevel: Scope = {
    // As PGlite's own query(): after any running transaction, then alone among queries.
    exclusive: (work) => client._runExclusiveTransaction(() => client._runExclusiveQuery(work)),
    inTransaction: false,
    checkOpen() {
      if (client.closed) throw new Error("PGlite is closed");
    },
  };

  const preparing: PreparingClient = {
    query: <T>(text: string, params?: unknown[], options?: QueryOptions) =>
      query(text, params, options, topLevel) as Promise<Results<T>>,
    transaction: <T>(callback: (tx: Transaction) => Promise<T>) =>
      client.transaction((tx) => {
        // Inside the transaction PGlite holds the transaction mutex already, as for its tx.query.
        const inTransaction: Scope = {
          exclusive: (work) => client._runExclusiveQuery(work),
          inTransaction: true,
          checkOpen() {
            if (tx.closed) throw new Error("Transaction is closed");
          },
        };
        const preparedTx: Transaction = Object.create(tx, {
          query: {
            value: <R>(text: string, params?: unknown[], options?: QueryOptions) =>
              query(text, params, options, inTransaction) as Promise<Results<R>>,
          },
        });
        return callback(preparedTx);
      }),
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === "query" || property === "transaction") return preparing[property];
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * PGlite's parseResults for one statement, without its per-call copy of the whole parser table
 * (drizzle passes parsers of its own with every query, and merging them showed in a list request's
 * profile: decision 015).
 */
function readResult(
  fields: Field[],
  messages: BackendMessage[],
  options: QueryOptions | undefined,
  defaults: Record<number | string, Parser>,
): Results<never> {
  const parsers = fields.map(({ dataTypeID }) => options?.parsers?.[dataTypeID] ?? defaults[dataTypeID]);
  const parse = (value: string | null, index: number) => {
    if (value === null) return null;
    const parser = parsers[index];
    return parser ? parser(value, fields[index]!.dataTypeID) : value;
  };
  const asArrays = options?.rowMode === "array";
  const rows: unknown[] = [];
  const result: Results<never> = { rows: rows as never[], fields, affectedRows: 0 };
  for (const message of messages) {
    if (message.name === "dataRow") {
      const values = (message as DataRow).fields;
      if (asArrays) {
        rows.push(values.map(parse));
      } else {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < values.length; i++) row[fields[i]!.name] = parse(values[i]!, i);
        rows.push(row);
      }
    } else if (message.name === "commandComplete") {
      // "SELECT 2", "UPDATE 3", "INSERT 0 5"; other tags end in a word ("CREATE TABLE").
      const parts = (message as CommandComplete).text.split(" ");
      const [command] = parts;
      const count = Number.parseInt(parts.at(-1) ?? "", 10);
      result.command = command;
      if (!Number.isNaN(count)) result.rowCount = count;
      if (command && ["INSERT", "UPDATE", "DELETE", "COPY", "MERGE"].includes(command)) result.affectedRows = count;
    }
  }
  return result;
}
