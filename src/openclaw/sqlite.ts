// Read-only access to OpenClaw's state database (state/openclaw.sqlite, WAL mode) in
// milliseconds, without the 3-12 s CLI. Node >= 22.5 (and the single executable on
// Node 24) has node:sqlite; on Node 20 we fall back to sql.js (SQLite compiled to
// WebAssembly, wasm inlined in the JS so it bundles). sql.js reads a byte image, not a
// live file, so committed WAL frames are folded into that image first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { OssError } from '../errors';

export type Row = Record<string, unknown>;

/** run one read-only query; the database is never written and never locked */
export async function queryReadOnly(file: string, sql: string, params: (string | number)[] = []): Promise<Row[]> {
  const native = loadNodeSqlite();
  if (native) {
    const db = new native.DatabaseSync(file, { readOnly: true });
    try {
      return db.prepare(sql).all(...params) as Row[];
    } finally {
      db.close();
    }
  }
  return queryWithSqlJs(file, sql, params);
}

interface NodeSqlite {
  DatabaseSync: new (
    file: string,
    opts: { readOnly: boolean },
  ) => { prepare(sql: string): { all(...p: unknown[]): unknown[] }; close(): void };
}

function loadNodeSqlite(): NodeSqlite | null {
  if (process.env.OSS_SQLITE === 'wasm') return null;
  try {
    // process.getBuiltinModule exists on Node >= 20.16; node:sqlite on >= 22.5
    const get = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const mod = get ? get('node:sqlite') : undefined;
    if (mod) return mod as NodeSqlite;
    return createRequire(import.meta.url)('node:sqlite') as NodeSqlite;
  } catch {
    return null;
  }
}

type SqlJs = {
  Database: new (data: Uint8Array) => {
    exec(sql: string, params?: unknown[]): { columns: string[]; values: unknown[][] }[];
    close(): void;
  };
};
let sqlJs: Promise<SqlJs> | undefined;

async function queryWithSqlJs(file: string, sql: string, params: (string | number)[]): Promise<Row[]> {
  sqlJs ??= import('sql.js/dist/sql-wasm-inline.js').then((m) => {
    const init = ((m as { default?: unknown }).default ?? m) as (o?: object) => Promise<SqlJs>;
    return init();
  });
  const SQL = await sqlJs;
  const image = snapshotImage(file);
  const db = new SQL.Database(image);
  try {
    const [res] = db.exec(sql, params);
    if (!res) return [];
    return res.values.map((vals) => Object.fromEntries(res.columns.map((c, i) => [c, vals[i]])));
  } finally {
    db.close();
  }
}

/**
 * The database as a reader would see it now: the main file with every committed WAL
 * frame applied (checksums verified, stopping at the first bad or foreign-salt frame),
 * marked as a rollback-journal database so an in-memory SQLite opens it.
 */
export function snapshotImage(file: string): Uint8Array {
  let db: Buffer;
  try {
    db = readFileSync(file);
  } catch (err) {
    throw new OssError(`cannot read ${file}: ${(err as Error).message}`, {
      hint: 'run the command against an onboarded OpenClaw home (or the stack dir)',
    });
  }
  let wal: Buffer | undefined;
  try {
    wal = readFileSync(`${file}-wal`);
  } catch {
    wal = undefined;
  }
  const applied = wal && wal.length >= 32 ? committedWalPages(wal) : null;
  let out: Buffer;
  if (!applied) {
    out = Buffer.from(db);
  } else {
    out = Buffer.alloc(applied.dbPages * applied.pageSize);
    db.copy(out, 0, 0, Math.min(db.length, out.length));
    for (const [pgno, page] of applied.pages) if (pgno <= applied.dbPages) page.copy(out, (pgno - 1) * applied.pageSize);
  }
  if (out.length >= 20) {
    // file format read/write version 2 = WAL; 1 = legacy journal (no -wal/-shm needed)
    out[18] = 1;
    out[19] = 1;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function committedWalPages(wal: Buffer): { pages: Map<number, Buffer>; dbPages: number; pageSize: number } | null {
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return null;
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let [s0, s1] = walChecksum(wal.subarray(0, 24), bigEndian, 0, 0);
  if (s0 !== wal.readUInt32BE(24) || s1 !== wal.readUInt32BE(28)) return null;
  const frameSize = 24 + pageSize;
  const pending = new Map<number, Buffer>();
  const committed = new Map<number, Buffer>();
  let dbPages = 0;
  for (let off = 32; off + frameSize <= wal.length; off += frameSize) {
    const pgno = wal.readUInt32BE(off);
    const commit = wal.readUInt32BE(off + 4);
    if (wal.readUInt32BE(off + 8) !== salt1 || wal.readUInt32BE(off + 12) !== salt2) break;
    [s0, s1] = walChecksum(wal.subarray(off, off + 8), bigEndian, s0, s1);
    [s0, s1] = walChecksum(wal.subarray(off + 24, off + frameSize), bigEndian, s0, s1);
    if (s0 !== wal.readUInt32BE(off + 16) || s1 !== wal.readUInt32BE(off + 20)) break;
    pending.set(pgno, wal.subarray(off + 24, off + frameSize));
    if (commit !== 0) {
      for (const [k, v] of pending) committed.set(k, v);
      pending.clear();
      dbPages = commit;
    }
  }
  return dbPages ? { pages: committed, dbPages, pageSize } : null;
}

/** SQLite's WAL checksum: pairs of 32-bit words, native byte order given by the magic */
function walChecksum(data: Buffer, bigEndian: boolean, s0: number, s1: number): [number, number] {
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
