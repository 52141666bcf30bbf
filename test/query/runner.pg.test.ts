// The query runner against real PostgreSQL (scripts/setup-postgres.sh). Every test that
// runs SQL proves nothing was written: row checksums, the sequence, a catalog checksum,
// advisory locks and leftover sessions are compared with the state before the run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueryExit, runQueryProgram } from '../../src/query/program';
import { defaultLimits, QueryRunError, runReadOnly, type RunLimits } from '../../src/query/runner';
import { runOss, repoRoot } from '../helpers/run-oss';
import { corpus } from './corpus';
import { findPg, type PgEnv } from './pg-env';

const env: PgEnv | undefined = await findPg();
const d = env ? describe : describe.skip;

let admin: pg.Client;
let readonlyDsn = '';
let baseline = '';
let tmp = '';

/** tests use a short statement timeout so the slow cases stay fast */
const limits: RunLimits = { ...defaultLimits, statementTimeoutMs: 600 };

const STATE_SQL = `
SELECT json_build_object(
  'orders', (SELECT md5(string_agg(o::text, '|' ORDER BY id)) FROM public.orders o),
  'orders_count', (SELECT count(*) FROM public.orders),
  'settings', (SELECT md5(string_agg(s::text, '|' ORDER BY name)) FROM public.settings s),
  'sequence', (SELECT last_value || ',' || is_called FROM public.invoice_seq),
  'catalog', md5(concat_ws('|',
     (SELECT string_agg(oid || ':' || relname || ':' || relkind::text || ':' || coalesce(relacl::text, ''), ',' ORDER BY oid) FROM pg_class),
     (SELECT string_agg(oid || ':' || proname || ':' || coalesce(proacl::text, ''), ',' ORDER BY oid) FROM pg_proc),
     (SELECT string_agg(oid || ':' || nspname, ',' ORDER BY oid) FROM pg_namespace),
     (SELECT string_agg(rolname || ':' || rolsuper::text || rolcanlogin::text || coalesce(rolconnlimit::text, ''), ',' ORDER BY oid) FROM pg_authid),
     (SELECT string_agg(coalesce(setdatabase::text, '') || ':' || setrole || ':' || array_to_string(setconfig, ';'), ',' ORDER BY setdatabase, setrole) FROM pg_db_role_setting),
     (SELECT string_agg(datname || ':' || coalesce(datacl::text, ''), ',' ORDER BY oid) FROM pg_database),
     (SELECT count(*)::text FROM pg_largeobject_metadata),
     (SELECT count(*)::text FROM pg_prepared_xacts)
  )),
  'advisory_locks', (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'),
  'temp_schemas_in_use', (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname LIKE 'pg_temp%')
)::text AS state`;

async function state(): Promise<string> {
  return (await admin.query(STATE_SQL)).rows[0].state as string;
}

/** wait until no session of the read-only role is left (backends exit asynchronously) */
async function noReadonlySessions(): Promise<number> {
  let n = -1;
  for (let i = 0; i < 50; i++) {
    n = Number((await admin.query("SELECT count(*) AS n FROM pg_stat_activity WHERE usename = 'oss_readonly'")).rows[0].n);
    if (n === 0) return 0;
    await new Promise((r) => setTimeout(r, 50));
  }
  return n;
}

beforeAll(async () => {
  if (!env) return;
  admin = new pg.Client({ connectionString: readFileSync(env.adminDsnFile, 'utf8').trim() });
  await admin.connect();
  readonlyDsn = readFileSync(env.readonlyDsnFile, 'utf8').trim();
  baseline = await state();
  tmp = await mkdtemp(join(tmpdir(), 'oss-query-'));
});

afterEach(async () => {
  if (!env) return;
  // the proof: nothing any test ran changed data, sequences, catalogs, locks or sessions
  expect(await noReadonlySessions()).toBe(0);
  expect(await state()).toBe(baseline);
});

afterAll(async () => {
  if (!env) return;
  await admin.end();
  await rm(tmp, { recursive: true, force: true });
});

async function runSql(sql: string) {
  const dsnFile = join(tmp, 'dsn');
  await writeFile(dsnFile, readonlyDsn, { mode: 0o600 });
  return runQueryProgram({ bytes: Buffer.from(sql) }, { dsnFile, limits });
}

d('the state probe', () => {
  it('sees a row change, a new table and a large object (inside a transaction rolled back here)', async () => {
    await admin.query('BEGIN');
    try {
      await admin.query("UPDATE orders SET note = 'changed' WHERE id = 5");
      expect(await state()).not.toBe(baseline);
      await admin.query('ROLLBACK');
      await admin.query('BEGIN');
      await admin.query('CREATE TABLE probe_table (x int)');
      expect(await state()).not.toBe(baseline);
      await admin.query('ROLLBACK');
      await admin.query('BEGIN');
      await admin.query('SELECT lo_create(0)');
      expect(await state()).not.toBe(baseline);
    } finally {
      await admin.query('ROLLBACK');
    }
  });
});

d('corpus against PostgreSQL', () => {
  it('has at least 60 cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of corpus) {
    it(`${c.expect}: ${c.name}`, async () => {
      const { code, output } = await runSql(c.sql);
      switch (c.expect) {
        case 'refuse':
          expect(code).toBe(QueryExit.refused);
          expect(output).toMatchObject({ error: expect.stringMatching(c.reason) });
          break;
        case 'rows':
          expect(output).toMatchObject({ rows: c.rows, rowCount: c.rows.length, truncated: c.truncated ?? false });
          expect(code).toBe(QueryExit.ok);
          break;
        case 'rowcount':
          expect(output).toMatchObject({ rowCount: c.rowCount, truncated: c.truncated });
          expect((output as { rows: unknown[] }).rows).toHaveLength(c.rowCount);
          expect(code).toBe(QueryExit.ok);
          break;
        case 'db-error':
          expect(output).toMatchObject({ error: expect.stringMatching(c.error) });
          expect(code).toBe(QueryExit.database);
          break;
      }
    });
  }
});

d('defence in depth: SQL the validator would refuse, sent straight to the executor', () => {
  // If the parser or the policy had a hole, the read-only transaction, the role, the
  // cursor and the fresh connection still hold. Each case either fails or is harmless.
  const attempts: [string, string, RegExp | null][] = [
    ['INSERT', "INSERT INTO orders VALUES (999, 'x', 1, now(), 'x', NULL)", /syntax error/],
    ['second statement', 'SELECT 1; DELETE FROM orders', /cannot insert multiple commands|syntax error/],
    ['writable CTE', 'WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d', /DECLARE CURSOR must not contain data-modifying|read-only/],
    ['SELECT INTO', 'SELECT * INTO stolen FROM orders', /syntax error|INTO/],
    ['FOR UPDATE', 'SELECT * FROM orders FOR UPDATE', /read-only transaction|permission denied/],
    ['nextval', "SELECT nextval('invoice_seq')", /read-only transaction|permission denied/],
    ['setval', "SELECT setval('invoice_seq', 1)", /read-only transaction|permission denied/],
    ['user function that writes', 'SELECT public.bump_invoice()', /read-only transaction|permission denied/],
    // these three succeed inside a READ ONLY transaction: only the rollback undoes them
    ['txid_current', 'SELECT txid_current()', null],
    ['lo_import', "SELECT lo_import('/etc/passwd')", /permission denied|read-only/],
    ['lo_create', 'SELECT lo_create(0)', null],
    ['pg_read_file', "SELECT pg_read_file('/etc/passwd')", /permission denied/],
    ['pg_ls_dir', "SELECT pg_ls_dir('.')", /permission denied/],
    ['terminate the superuser', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'postgres'", /permission denied|must be a (superuser|member)/],
    ['pg_reload_conf', 'SELECT pg_reload_conf()', /permission denied/],
    ['pg_sleep', 'SELECT pg_sleep(30)', /statement timeout/],
    ['set_config (session-wide)', "SELECT set_config('search_path', 'evil', false)", null],
    ['advisory lock (session-wide)', 'SELECT pg_advisory_lock(4242)', null],
    ['pg_notify', "SELECT pg_notify('ch', 'x')", null],
  ];
  for (const [name, sql, error] of attempts) {
    it(`${name}: ${error ? 'fails' : 'leaves nothing behind'}`, async () => {
      const run = runReadOnly(sql, readonlyDsn, limits);
      if (error) {
        const err = await run.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(QueryRunError);
        expect((err as Error).message).toMatch(error);
      } else {
        await run;
      }
    });
  }
  it('a later run sees the fixed search_path, not what a previous session set', async () => {
    await runReadOnly("SELECT set_config('search_path', 'evil', false)", readonlyDsn, limits);
    const out = await runReadOnly("SELECT current_setting('search_path'), current_setting('transaction_read_only')", readonlyDsn, limits);
    expect(out.rows).toEqual([['pg_catalog, public', 'on']]);
  });
  it('the role cannot leave read-only mode', async () => {
    const err = await runReadOnly("SELECT set_config('transaction_read_only', 'off', true)", readonlyDsn, limits).catch((e: Error) => e);
    expect(String(err)).toMatch(/read-write mode must be set before any query|read-only/);
  });
});

d('the runner refuses a powerful role', () => {
  it('a superuser DSN is a configuration error (exit 2) and nothing runs', async () => {
    const dsnFile = join(tmp, 'admin-dsn');
    await writeFile(dsnFile, readFileSync(env!.adminDsnFile, 'utf8'), { mode: 0o600 });
    const { code, output } = await runQueryProgram({ bytes: Buffer.from('SELECT 1') }, { dsnFile, limits });
    expect(code).toBe(QueryExit.usage);
    expect(output).toMatchObject({ kind: 'config', error: expect.stringMatching(/refusing to run untrusted SQL as role postgres \(rolsuper, rolbypassrls, rolcreaterole, rolreplication\)/) });
  });
});

d('the role itself (a session outside the runner)', () => {
  it('logs in read-only by default, with timeouts and no privileges beyond SELECT', async () => {
    const c = new pg.Client({ connectionString: readonlyDsn });
    await c.connect();
    try {
      const r = await c.query(
        "SELECT current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS st, " +
          "has_table_privilege('public.orders', 'INSERT') AS ins, has_table_privilege('public.orders', 'SELECT') AS sel, " +
          "has_schema_privilege('public', 'CREATE') AS crt, has_sequence_privilege('public.invoice_seq', 'USAGE') AS seq",
      );
      expect(r.rows[0]).toEqual({ ro: 'on', st: '5s', ins: false, sel: true, crt: false, seq: false });
      await expect(c.query('DELETE FROM orders')).rejects.toThrow(/read-only transaction|permission denied/);
    } finally {
      await c.end();
    }
  });
});

d('oss query and the worker bundle (processes)', () => {
  const worker = join(repoRoot, 'dist/query-runner.cjs');
  async function runWorker(sql: string, args: string[]) {
    const { spawn } = await import('node:child_process');
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [worker, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b));
      child.stderr.on('data', (b: Buffer) => (stderr += b));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.end(sql);
    });
  }

  it('oss query returns rows as JSON', async () => {
    const dsnFile = join(tmp, 'cli-dsn');
    await writeFile(dsnFile, readonlyDsn, { mode: 0o600 });
    const r = await runOss(['query', '--dsn-file', dsnFile], { input: 'SELECT id, created_at FROM orders WHERE id <= 2 ORDER BY id' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      columns: ['id', 'created_at'],
      rows: [
        [1, '2026-01-01 01:00:00+00'],
        [2, '2026-01-01 02:00:00+00'],
      ],
      rowCount: 2,
      truncated: false,
    });
  });

  it('oss query reads the DSN file from OSS_DB_DSN_FILE and caps rows at 100', async () => {
    const dsnFile = join(tmp, 'env-dsn');
    await writeFile(dsnFile, readonlyDsn, { mode: 0o600 });
    const r = await runOss(['query'], { input: 'SELECT * FROM orders', env: { OSS_DB_DSN_FILE: dsnFile } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rowCount).toBe(100);
    expect(out.truncated).toBe(true);
  });

  it('the worker bundle (node dist/query-runner.cjs) behaves the same and refuses writes with exit 3', async () => {
    const dsnFile = join(tmp, 'worker-dsn');
    await writeFile(dsnFile, readonlyDsn, { mode: 0o600 });
    const ok = await runWorker("SELECT name FROM settings WHERE name = 'max_upload'", ['--dsn-file', dsnFile]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: [['max_upload']] });
    const refused = await runWorker('SELECT 1; DROP TABLE orders', ['--dsn-file', dsnFile]);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout).error).toMatch(/exactly one statement/);
  });

  it('a wrong password is exit 4 and the DSN and password never appear in the output', async () => {
    const bad = readonlyDsn.replace(/:([^:@/]+)@/, ':wrong-password-4711@');
    const dsnFile = join(tmp, 'bad-dsn');
    await writeFile(dsnFile, bad, { mode: 0o600 });
    const r = await runOss(['query', '--dsn-file', dsnFile], { input: 'SELECT 1' });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).error).toMatch(/password authentication failed/);
    for (const s of [bad, 'wrong-password-4711', readonlyDsn]) {
      expect(r.stdout + r.stderr).not.toContain(s);
    }
  });

  it('the default 5 s statement timeout stops a slow query through the CLI', async () => {
    const dsnFile = join(tmp, 'slow-dsn');
    await writeFile(dsnFile, readonlyDsn, { mode: 0o600 });
    const started = Date.now();
    const r = await runOss(['query', '--dsn-file', dsnFile], { input: 'SELECT count(*) FROM orders a, orders b, orders c, orders d' });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).error).toMatch(/statement timeout \(5000 ms\)/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
