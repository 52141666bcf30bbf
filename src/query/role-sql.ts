// The SQL that creates the query runner's least-privilege role. Idempotent: run it again
// to re-apply the grants after new tables appear. Run it as a superuser (or a role with
// CREATEROLE) connected to the database the runner will query.
import { query as queryModel } from '../stack/model';

export interface RoleSqlOptions {
  role?: string;
  schema?: string;
  /** LOGIN password; without it the output tells the operator to set one with \password */
  password?: string;
  /** concurrent sessions; the bridge runs at most `bridge.concurrency` queries at once */
  connectionLimit?: number;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export function isPlainIdentifier(name: string): boolean {
  return IDENT.test(name);
}

/** SQL string literal with standard_conforming_strings on: quotes doubled, E'' never used */
function literal(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL byte cannot appear in a password');
  return `'${value.replace(/'/g, "''")}'`;
}

export function roleSql(opts: RoleSqlOptions = {}): string {
  const role = opts.role ?? queryModel.readonlyRole;
  const schema = opts.schema ?? queryModel.schema;
  if (!isPlainIdentifier(role)) throw new Error(`role name "${role}" must be a plain lower-case identifier`);
  if (!isPlainIdentifier(schema)) throw new Error(`schema name "${schema}" must be a plain lower-case identifier`);
  const limit = opts.connectionLimit ?? 8;
  const s = queryModel;
  const password = opts.password === undefined ? '' : ` PASSWORD ${literal(opts.password)}`;
  return `-- oss: least-privilege role for the read-only query runner (role ${role}, schema ${schema})
-- Run as a superuser connected to the database the runner queries. Idempotent.
\\set ON_ERROR_STOP on
BEGIN;
DO $oss$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '${role}') THEN
    CREATE ROLE ${role};
  END IF;
END
$oss$;
-- login only: no superuser, no role or database creation, no replication, RLS applies
ALTER ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT ${limit}${password};
-- every session of this role is read-only and bounded, even without the runner's own SETs
ALTER ROLE ${role} SET default_transaction_read_only = on;
ALTER ROLE ${role} SET statement_timeout = ${s.statementTimeoutMs};
ALTER ROLE ${role} SET lock_timeout = ${s.statementTimeoutMs};
ALTER ROLE ${role} SET idle_in_transaction_session_timeout = ${s.idleTimeoutMs};
ALTER ROLE ${role} SET idle_session_timeout = ${s.idleTimeoutMs};
ALTER ROLE ${role} SET search_path = pg_catalog, ${schema};
ALTER ROLE ${role} SET temp_file_limit = '64MB';
-- connect to this database only; nothing in the schema but USAGE and SELECT
DO $oss$
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM ${role}', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${role}', current_database());
END
$oss$;
REVOKE ALL ON SCHEMA ${schema} FROM ${role};
GRANT USAGE ON SCHEMA ${schema} TO ${role};
REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${role};
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${schema} FROM ${role};
GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role};
-- tables the executing role creates later are readable too
ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${role};
COMMIT;
${
  opts.password === undefined
    ? `-- no password was given: set one now (psql prompts; it never appears in a file or argv)\n\\password ${role}\n`
    : ''
}`;
}
