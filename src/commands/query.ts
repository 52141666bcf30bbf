// oss query: validate one SQL statement from stdin and run it read-only; prints one JSON
// object. Exit 0 rows, 2 usage, 3 refused by validation, 4 database error or timeout.
import { readStdinCapped, runQueryProgram } from '../query/program';

export async function run(opts: Record<string, unknown>): Promise<number> {
  const input = await readStdinCapped(process.stdin);
  const { code, output } = await runQueryProgram(input, {
    validateOnly: opts.validateOnly === true,
    dsnFile: opts.dsnFile as string | undefined,
  });
  process.stdout.write(`${JSON.stringify(output)}\n`);
  return code;
}
