// Entry of dist/query-runner.cjs, the program the db-query-runner container runs:
//   node /app/query-runner.cjs [--validate-only] [--dsn-file FILE]  < query.sql
// Only Node built-ins are needed at run time: pg and the parser (with its WebAssembly
// bytes) are inlined by the bundler.
import { parseArgs } from 'node:util';
import { QueryExit, readStdinCapped, runQueryProgram } from './program';

async function main(): Promise<number> {
  let values: { 'validate-only'?: boolean; 'dsn-file'?: string };
  try {
    ({ values } = parseArgs({
      options: { 'validate-only': { type: 'boolean' }, 'dsn-file': { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: `usage: ${(err as Error).message}`, kind: 'usage' })}\n`);
    return QueryExit.usage;
  }
  const input = await readStdinCapped();
  const { code, output } = await runQueryProgram(input, {
    validateOnly: values['validate-only'],
    dsnFile: values['dsn-file'],
  });
  process.stdout.write(`${JSON.stringify(output)}\n`);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: `query runner failed: ${(err as Error).message}`, kind: 'database' })}\n`);
    process.exitCode = QueryExit.database;
  },
);
