// Start-up stays fast as commands grow: what `oss --help` evaluates is the static import
// closure of src/cli.ts. Only commander and the command table may be in it; every
// command module and heavy dependency (execa, ora, zod, yaml, chalk, pg, ...) must be
// reached through a dynamic import() that the bundle keeps lazy.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-oss';
import { commandTable } from '../../src/commands/table';

async function staticClosure(entry: string): Promise<{ files: string[]; dynamic: string[] }> {
  const r = await build({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    outfile: 'out.cjs',
    logLevel: 'silent',
    define: { 'import.meta.url': '__importMetaUrl' },
  });
  const inputs = r.metafile.inputs;
  const seen = new Set<string>();
  const dynamic = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of inputs[file]?.imports ?? []) {
      if (imp.external) continue;
      if (imp.kind === 'dynamic-import') dynamic.add(imp.path);
      else queue.push(imp.path);
    }
  }
  return { files: [...seen], dynamic: [...dynamic] };
}

const packageOf = (file: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];

describe('CLI start-up imports', () => {
  it('src/cli.ts statically loads no package but commander and no command module', async () => {
    const { files } = await staticClosure('src/cli.ts');
    const packages = new Set(files.map(packageOf).filter(Boolean));
    expect([...packages]).toEqual(['commander']);
    // plain data modules (the stack model, errors) are fine; command modules are not
    const commands = files.filter((f) => f.startsWith('src/commands/') && f !== 'src/commands/table.ts');
    expect(commands).toEqual([]);
    expect(files).toContain('src/commands/table.ts');
  });

  it('every command module is loaded lazily', async () => {
    const { dynamic } = await staticClosure('src/cli.ts');
    const lazyCommands = dynamic.filter((f) => f.startsWith('src/commands/'));
    // one lazily imported module per command in the table
    expect(lazyCommands.length).toBe(new Set(commandTable.map((c) => c.load.toString())).size);
  });
});
