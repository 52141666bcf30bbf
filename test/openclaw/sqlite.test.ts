// The state-database reader: node:sqlite where the runtime has it, sql.js (+ WAL folding)
// on Node 20. The WAL fixture is made by real SQLite (Node 24's node:sqlite) holding the
// database open, exactly as a running gateway does.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryReadOnly, snapshotImage } from '../../src/openclaw/sqlite';
import { haveOpenclaw, requireOpenclawBin } from './openclaw-env';

const work = mkdtempSync(join(tmpdir(), 'oss-sqlite-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Writes 1 row, checkpoints it into the main file, then 2 more rows that stay in the WAL;
// copies db + wal while the writer still holds the database open.
const writer = `
const { DatabaseSync } = require('node:sqlite');
const { copyFileSync } = require('node:fs');
const [src, dst] = process.argv.slice(1);
const db = new DatabaseSync(src);
db.exec("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;");
db.exec("CREATE TABLE exec_approvals_config (config_key TEXT PRIMARY KEY, raw_json TEXT)");
db.prepare("INSERT INTO exec_approvals_config VALUES (?, ?)").run('a', '{"n":1}');
db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
db.prepare("INSERT INTO exec_approvals_config VALUES (?, ?)").run('current', '{"n":2}');
db.prepare("UPDATE exec_approvals_config SET raw_json = ? WHERE config_key = 'a'").run('{"n":3}');
copyFileSync(src, dst); copyFileSync(src + '-wal', dst + '-wal');
`;

describe.runIf(haveOpenclaw)('state database reader', () => {
  const live = join(work, 'live.sqlite');
  const snap = join(work, 'snap.sqlite');

  it('reads committed WAL frames with the wasm reader, as node:sqlite does', async () => {
    const bin = requireOpenclawBin();
    execFileSync(join(bin, 'node'), ['-e', writer, live, snap], { stdio: 'pipe' });
    expect(statSync(`${snap}-wal`).size).toBeGreaterThan(0);
    const sql = 'SELECT config_key, raw_json FROM exec_approvals_config ORDER BY config_key';
    process.env.OSS_SQLITE = 'wasm';
    try {
      const rows = await queryReadOnly(snap, sql);
      expect(rows).toEqual([
        { config_key: 'a', raw_json: '{"n":3}' },
        { config_key: 'current', raw_json: '{"n":2}' },
      ]);
      // without the WAL the main file alone holds only the checkpointed row
      const bare = join(work, 'bare.sqlite');
      copyFileSync(snap, bare);
      expect(await queryReadOnly(bare, sql)).toEqual([{ config_key: 'a', raw_json: '{"n":1}' }]);
    } finally {
      delete process.env.OSS_SQLITE;
    }
  });

  it('ignores a torn WAL tail (bad checksum) instead of reading garbage', () => {
    const torn = join(work, 'torn.sqlite');
    copyFileSync(snap, torn);
    const wal = readFileSync(`${snap}-wal`);
    wal.writeUInt8(wal.readUInt8(wal.length - 10) ^ 0xff, wal.length - 10); // corrupt the last frame's page
    writeFileSync(`${torn}-wal`, wal);
    const full = snapshotImage(snap);
    const cut = snapshotImage(torn);
    expect(Buffer.compare(Buffer.from(full), Buffer.from(cut))).not.toBe(0);
  });

  it('names the file when it is missing', async () => {
    await expect(queryReadOnly(join(work, 'nope.sqlite'), 'SELECT 1')).rejects.toThrow(/nope\.sqlite/);
    expect(existsSync(join(work, 'nope.sqlite'))).toBe(false);
  });
});
