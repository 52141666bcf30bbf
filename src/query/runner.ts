// Execution as defence in depth: even a query the validator wrongly accepted runs as a
// least-privilege role, on a fresh connection, inside BEGIN READ ONLY with a statement
// timeout, an idle timeout, a fixed search_path, through a cursor fetched up to the row
// cap, under an output byte cap, and is always rolled back.
import pg from 'pg';
import { query as queryModel } from '../stack/model';

export interface RunLimits {
  maxRows: number;
  statementTimeoutMs: number;
  idleTimeoutMs: number;
  maxOutputBytes: number;
  schema: string;
  /** connect timeout */
  connectTimeoutMs: number;
}

export const defaultLimits: RunLimits = {
  maxRows: queryModel.maxRows,
  statementTimeoutMs: queryModel.statementTimeoutMs,
  idleTimeoutMs: queryModel.idleTimeoutMs,
  maxOutputBytes: queryModel.maxOutputBytes,
  schema: queryModel.schema,
  connectTimeoutMs: 5000,
};

export interface QueryOutput {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

/** config: the DSN names a role too powerful for untrusted SQL (exit 2, not a query problem) */
export type RunFailure = { kind: 'timeout' | 'database' | 'connection' | 'config'; message: string };

export class QueryRunError extends Error {
  constructor(
    readonly kind: RunFailure['kind'],
    message: string,
  ) {
    super(message);
    this.name = 'QueryRunError';
  }
}

const CURSOR = 'oss_query';

// Types JSON can carry faithfully are parsed; every other value stays PostgreSQL's text
// (int8/numeric keep their precision, timestamps their zone, bytea its hex form).
const PARSED_TYPES = new Set([16, 21, 23, 26, 114, 700, 701, 3802, 199, 1000, 1005, 1007, 1021, 1022, 3807]);
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (PARSED_TYPES.has(oid)) return pg.types.getTypeParser(oid, format ?? 'text');
    return (value: string) => value;
  },
};

/** remove a DSN and its password from a message before anyone sees it */
export function scrubSecret(message: string, dsn: string): string {
  let out = message.split(dsn).join('<dsn>');
  try {
    const pw = decodeURIComponent(new URL(dsn).password);
    if (pw.length >= 4) out = out.split(pw).join('<redacted>');
  } catch {
    /* not a URL: the whole-DSN replacement above is all we can do */
  }
  return out;
}

function describeDbError(err: unknown, limits: RunLimits, dsn: string): QueryRunError {
  const e = err as { code?: string; message?: string };
  const msg = scrubSecret(e.message ?? String(err), dsn);
  if (e.code === '57014') return new QueryRunError('timeout', `query exceeded the statement timeout (${limits.statementTimeoutMs} ms) and was cancelled`);
  if (e.code === '25P03') return new QueryRunError('timeout', `transaction idle timeout (${limits.idleTimeoutMs} ms)`);
  if (e.code && /^[0-9A-Z]{5}$/.test(e.code)) return new QueryRunError('database', `database error: ${msg} (SQLSTATE ${e.code})`);
  return new QueryRunError('connection', `database connection failed: ${msg}`);
}

/**
 * Run one statement the validator accepted. Throws QueryRunError (timeout, database,
 * connection); never includes the DSN in a message.
 */
export async function runReadOnly(statement: string, dsn: string, limits: RunLimits = defaultLimits): Promise<QueryOutput> {
  const client = new pg.Client({
    connectionString: dsn,
    application_name: 'oss-query',
    connectionTimeoutMillis: limits.connectTimeoutMs,
    types: typeParsers,
  });
  // The server-side timeouts below are authoritative; this one covers a dead or stuck
  // server. (pg's own query_timeout breaks event-style queries, so it is not used.)
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }, limits.connectTimeoutMs + limits.statementTimeoutMs + 5000);
  // errors after the result is in (e.g. the socket we cut at the byte cap) are not news
  client.on('error', () => undefined);
  let connected = false;
  try {
    await client.connect();
    connected = true;
    // one round trip for the transaction and its limits (our own fixed text, simple protocol)
    const setup = await client.query(
      [
        'BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY',
        `SET LOCAL statement_timeout = ${Math.trunc(limits.statementTimeoutMs)}`,
        `SET LOCAL lock_timeout = ${Math.trunc(limits.statementTimeoutMs)}`,
        `SET LOCAL idle_in_transaction_session_timeout = ${Math.trunc(limits.idleTimeoutMs)}`,
        `SET LOCAL search_path = pg_catalog, ${pg.escapeIdentifier(limits.schema)}`,
        // the parser assumed standard strings; make the server agree
        `SET LOCAL standard_conforming_strings = on`,
        // a DSN for a powerful role is a configuration mistake, not something to run under
        `SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolreplication FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`,
      ].join('; '),
    );
    const who = (setup as unknown as pg.QueryResult[]).at(-1)?.rows[0] as Record<string, unknown> | undefined;
    const powers = ['rolsuper', 'rolbypassrls', 'rolcreaterole', 'rolreplication'].filter((k) => who?.[k] === true);
    if (!who || powers.length > 0) {
      throw new QueryRunError(
        'config',
        `refusing to run untrusted SQL as role ${String(who?.rolname ?? '?')} (${powers.join(', ') || 'unknown role'}); put the DSN of the least-privilege role from \`oss db-role-sql\` in the secret file`,
      );
    }
    // Extended protocol: one statement only, whatever the text holds. A cursor accepts
    // only SELECT/VALUES/TABLE/WITH, and FETCH bounds the rows without touching the text.
    await client.query({ text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR\n${statement}`, queryMode: 'extended' } as pg.QueryConfig);
    const out = await fetchCapped(client, limits);
    if (!out.cut) await client.query('ROLLBACK');
    return out.result;
  } catch (err) {
    if (timedOut) throw new QueryRunError('timeout', 'the database did not answer in time; the connection was closed');
    throw err instanceof QueryRunError ? err : describeDbError(err, limits, dsn);
  } finally {
    clearTimeout(watchdog);
    if (connected) await client.end().catch(() => undefined);
  }
}

/**
 * FETCH maxRows+1 rows, collecting them as they arrive. Past the byte cap the socket is
 * cut: the server aborts (rolls back) the transaction of a vanished client, and the rows
 * already in hand are returned with truncated: true.
 */
function fetchCapped(client: pg.Client, limits: RunLimits): Promise<{ result: QueryOutput; cut: boolean }> {
  return new Promise((resolve, reject) => {
    const rows: unknown[][] = [];
    let bytes = 2; // "[]"
    let truncated = false;
    let settled = false;
    const socket = (client as unknown as { connection: { stream: NodeJS.ReadableStream & { destroy(): void } } }).connection.stream;
    // one DataRow may be larger than any cap: count raw bytes too, before pg buffers them
    let wireBytes = 0;
    const wireLimit = limits.maxOutputBytes * 2 + 65536;
    const columnsOf = (q: pg.Query) =>
      ((q as unknown as { _result?: { fields?: { name: string }[] } })._result?.fields ?? []).map((f) => f.name);
    const q = new pg.Query({ text: `FETCH FORWARD ${limits.maxRows + 1} FROM ${CURSOR}`, rowMode: 'array' } as pg.QueryConfig);
    const cut = () => {
      if (settled) return;
      settled = true;
      truncated = true;
      socket.removeListener('data', onData);
      socket.destroy();
      resolve({ result: { columns: columnsOf(q), rows, rowCount: rows.length, truncated }, cut: true });
    };
    const onData = (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (wireBytes > wireLimit) cut();
    };
    socket.on('data', onData);
    q.on('row', (row: unknown[]) => {
      if (settled) return;
      if (rows.length >= limits.maxRows) {
        truncated = true;
        return;
      }
      const size = Buffer.byteLength(JSON.stringify(row)) + 1;
      if (bytes + size > limits.maxOutputBytes) return cut();
      bytes += size;
      rows.push(row);
    });
    q.on('end', () => {
      socket.removeListener('data', onData);
      if (settled) return;
      settled = true;
      resolve({ result: { columns: columnsOf(q), rows, rowCount: rows.length, truncated }, cut: false });
    });
    q.on('error', (err: Error) => {
      socket.removeListener('data', onData);
      if (settled) return;
      settled = true;
      reject(err);
    });
    client.query(q);
  });
}
