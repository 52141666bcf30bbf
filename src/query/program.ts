// The query runner as a program: bytes on stdin -> one JSON object on stdout + an exit
// code. Shared by `oss query` and the worker bundle (dist/query-runner.cjs), so both
// behave identically.
import { readFileSync } from 'node:fs';
import { CONTAINER_SECRETS_DIR, query as queryModel } from '../stack/model';
import { defaultLimits, QueryRunError, runReadOnly, scrubSecret, type QueryOutput, type RunLimits } from './runner';
import { validateInput } from './validate';

/** exit codes of `oss query` and the worker (documented in the README) */
export const QueryExit = {
  ok: 0,
  /** bad invocation: unknown option, unreadable DSN file, a DSN for a superuser-like role */
  usage: 2,
  /** the validator refused the SQL (nothing was sent to the database) */
  refused: 3,
  /** the database refused or failed it: error, timeout, connection */
  database: 4,
} as const;

export const DEFAULT_DSN_FILE = `${CONTAINER_SECRETS_DIR}/db_dsn`;
export const DSN_FILE_ENV = 'OSS_DB_DSN_FILE';

/** more bytes than this cannot be maxInputChars characters of UTF-8 */
export const MAX_INPUT_BYTES = queryModel.maxInputChars * 4;

export interface ProgramOptions {
  validateOnly?: boolean;
  dsnFile?: string;
  env?: NodeJS.ProcessEnv;
  limits?: RunLimits;
}

export type ProgramOutput =
  | QueryOutput
  | { valid: true }
  | { error: string; kind: 'refused' | 'usage' | 'config' | 'timeout' | 'database' | 'connection' };

export interface ProgramResult {
  code: number;
  output: ProgramOutput;
}

/** read stdin as bytes, stopping one byte past the cap so a flood cannot fill memory */
export async function readStdinCapped(stream: NodeJS.ReadableStream = process.stdin, cap = MAX_INPUT_BYTES): Promise<{ bytes: Buffer; overCap: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buf);
    size += buf.length;
    if (size > cap) return { bytes: Buffer.concat(chunks), overCap: true };
  }
  return { bytes: Buffer.concat(chunks), overCap: false };
}

export async function runQueryProgram(input: { bytes: Uint8Array; overCap?: boolean }, opts: ProgramOptions = {}): Promise<ProgramResult> {
  if (input.overCap) {
    return refusedResult(`query is over ${MAX_INPUT_BYTES} bytes; the limit is ${queryModel.maxInputChars} characters`);
  }
  const verdict = await validateInput(input.bytes);
  if (!verdict.ok) return refusedResult(verdict.reason);
  if (opts.validateOnly) return { code: QueryExit.ok, output: { valid: true } };

  const env = opts.env ?? process.env;
  const dsnFile = opts.dsnFile ?? env[DSN_FILE_ENV] ?? DEFAULT_DSN_FILE;
  let dsn: string;
  try {
    dsn = readFileSync(dsnFile, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return {
      code: QueryExit.usage,
      output: {
        error: `cannot read the DSN file ${dsnFile} (${code}); pass --dsn-file FILE or set ${DSN_FILE_ENV}, or use --validate-only`,
        kind: 'usage',
      },
    };
  }
  if (dsn === '') return { code: QueryExit.usage, output: { error: `the DSN file ${dsnFile} is empty`, kind: 'usage' } };

  try {
    const output = await runReadOnly(verdict.statement, dsn, opts.limits ?? defaultLimits);
    return { code: QueryExit.ok, output };
  } catch (err) {
    if (err instanceof QueryRunError) {
      const code = err.kind === 'config' ? QueryExit.usage : QueryExit.database;
      return { code, output: { error: scrubSecret(err.message, dsn), kind: err.kind } };
    }
    const msg = err instanceof Error ? err.message : String(err);
    return { code: QueryExit.database, output: { error: `query runner failed: ${scrubSecret(msg, dsn)}`, kind: 'database' } };
  }
}

function refusedResult(reason: string): ProgramResult {
  return { code: QueryExit.refused, output: { error: `refused: ${reason}`, kind: 'refused' } };
}
