// `oss query` and `oss db-role-sql` as a user runs them; no database needed here
// (the runs against PostgreSQL are in runner.pg.test.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOss } from '../helpers/run-oss';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'oss-query-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('oss query --validate-only', () => {
  it('accepts an honest read: {"valid":true}, exit 0', async () => {
    const r = await runOss(['query', '--validate-only'], { input: "SELECT created_at, updated_by FROM orders WHERE note = 'DROP TABLE x'" });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ valid: true });
  });
  it('refuses a second statement: JSON error naming the reason, exit 3', async () => {
    const r = await runOss(['query', '--validate-only'], { input: 'SELECT 1; VACUUM' });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ error: 'refused: exactly one statement is allowed; found 2', kind: 'refused' });
  });
  it('refuses a NUL byte read from stdin', async () => {
    const r = await runOss(['query', '--validate-only'], { input: 'SELECT 1\u0000; DROP TABLE orders' });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error).toBe('refused: input contains a NUL byte');
  });
  it('refuses empty input and a flood of input without reading it all', async () => {
    const empty = await runOss(['query', '--validate-only'], { input: '' });
    expect(empty.code).toBe(3);
    expect(JSON.parse(empty.stdout).error).toBe('refused: empty query');
    const flood = await runOss(['query', '--validate-only'], { input: `SELECT '${'x'.repeat(200_000)}'` });
    expect(flood.code).toBe(3);
    expect(JSON.parse(flood.stdout).error).toMatch(/the limit is 2000 characters/);
  });
});

describe('oss query without a database', () => {
  it('a missing DSN file is exit 2 with the fix, and the validator still runs first', async () => {
    const missing = join(tmp, 'no-such-dsn');
    const r = await runOss(['query', '--dsn-file', missing], { input: 'SELECT 1' });
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.error).toContain(missing);
    expect(out.error).toMatch(/ENOENT.*--dsn-file/);
    const refused = await runOss(['query', '--dsn-file', missing], { input: 'DELETE FROM orders' });
    expect(refused.code).toBe(3);
  });
  it('an unreachable server is exit 4 and the DSN password is not printed', async () => {
    const dsnFile = join(tmp, 'dsn');
    // port 1 on loopback: connection refused at once
    const dsn = 'postgresql://oss_readonly:Sup3r-Secret-Pw-4711@127.0.0.1:1/app';
    await writeFile(dsnFile, dsn, { mode: 0o600 });
    const r = await runOss(['query', '--dsn-file', dsnFile], { input: 'SELECT 1' });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'connection', error: expect.stringMatching(/ECONNREFUSED/) });
    expect(r.stdout + r.stderr).not.toContain('Sup3r-Secret-Pw-4711');
  });
  it('an unknown option is a usage error (exit 2)', async () => {
    const r = await runOss(['query', '--dsn', 'postgresql://x'], { input: 'SELECT 1' });
    expect(r.code).toBe(2);
  });
  it('--help shows the exit codes and examples', async () => {
    const r = await runOss(['query', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--validate-only');
    expect(r.stdout).toContain('3 refused by validation');
  });
});

describe('oss db-role-sql', () => {
  it('prints an idempotent least-privilege role: LOGIN, read-only default, timeouts, SELECT only', async () => {
    const r = await runOss(['db-role-sql']);
    expect(r.code).toBe(0);
    const sql = r.stdout;
    expect(sql).toContain('ALTER ROLE oss_readonly LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS');
    expect(sql).toContain('ALTER ROLE oss_readonly SET default_transaction_read_only = on;');
    expect(sql).toContain('ALTER ROLE oss_readonly SET statement_timeout = 5000;');
    expect(sql).toContain('ALTER ROLE oss_readonly SET search_path = pg_catalog, public;');
    expect(sql).toContain('GRANT SELECT ON ALL TABLES IN SCHEMA public TO oss_readonly;');
    expect(sql).not.toMatch(/GRANT (INSERT|UPDATE|DELETE|ALL|CREATE)/);
    expect(sql).toContain('IF NOT EXISTS');
    expect(sql).toMatch(/\\password oss_readonly\n$/);
  });
  it('--json wraps the same SQL with the role and schema', async () => {
    const [plain, json] = await Promise.all([runOss(['db-role-sql']), runOss(['db-role-sql', '--json'])]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ role: 'oss_readonly', schema: 'public', passwordSet: false, sql: plain.stdout });
  });
  it('takes the password from a file, never from argv', async () => {
    const pw = join(tmp, 'pw');
    await writeFile(pw, "it's-a-long-password-1234\n", { mode: 0o600 });
    const r = await runOss(['db-role-sql', '--schema', 'reporting', '--password-file', pw]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("PASSWORD 'it''s-a-long-password-1234'");
    expect(r.stdout).toContain('GRANT USAGE ON SCHEMA reporting TO oss_readonly;');
    expect(r.stdout).not.toContain('\\password');
  });
  it('refuses a short password without echoing it, and a bad identifier, with exit 2 and nothing on stdout', async () => {
    const pw = join(tmp, 'short');
    await writeFile(pw, 'hunter2\n', { mode: 0o600 });
    const short = await runOss(['db-role-sql', '--password-file', pw]);
    expect(short.code).toBe(2);
    expect(short.stdout).toBe('');
    expect(short.stderr).toMatch(/at least 16 characters/);
    expect(short.stderr).not.toContain('hunter2');
    const bad = await runOss(['db-role-sql', '--schema', 'public; DROP TABLE x']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--schema .* is not a plain identifier/);
  });
});
