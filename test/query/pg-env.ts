// Where scripts/setup-postgres.sh left the test PostgreSQL. With CI set, a missing
// instance is a failure, not a skip.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgEnv {
  port: number;
  database: string;
  readonlyDsnFile: string;
  adminDsnFile: string;
}

export function pgEnvFile(): string {
  if (process.env.OSS_PG_ENV_FILE) return process.env.OSS_PG_ENV_FILE;
  const state =
    process.env.OSS_PG_STATE ??
    (process.getuid?.() === 0 ? '/var/lib/oss-test-postgres' : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'oss-test-postgres'));
  return join(state, 'env.json');
}

/** the env, or undefined locally when absent; throws under CI */
export async function findPg(): Promise<PgEnv | undefined> {
  const file = pgEnvFile();
  const missing = (why: string) => {
    const msg = `PostgreSQL for the query runner tests is not available (${why}); run: bash scripts/setup-postgres.sh`;
    if (process.env.CI) throw new Error(msg);
    console.warn(`SKIP: ${msg}`);
    return undefined;
  };
  if (!existsSync(file)) return missing(`${file} not found`);
  const env = JSON.parse(readFileSync(file, 'utf8')) as PgEnv;
  const client = new pg.Client({ connectionString: readFileSync(env.adminDsnFile, 'utf8').trim(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    return missing(`cannot connect: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return env;
}
