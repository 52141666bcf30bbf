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
    loader: { '.wasm': 'binary' },
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

describe('built start-up bundle', () => {
  it('dist/cli.cjs holds no command module: they load from dist/commands.cjs when a command runs', async () => {
    const { readFile, stat } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const cli = join(repoRoot, 'dist/cli.cjs');
    // commander is ~40 KB minified; every command's code and dependencies live elsewhere
    expect((await stat(cli)).size).toBeLessThan(150_000);
    const commands = await readFile(join(repoRoot, 'dist/commands.cjs'), 'utf8');
    const table = await readFile(join(repoRoot, 'src/commands/table.ts'), 'utf8');
    const specifiers = [...table.matchAll(/import\((['"])(\.\/[^'"]+)\1\)/g)].map((m) => m[2]!);
    expect(specifiers.length).toBe(commandTable.length);
    for (const specifier of specifiers) expect(commands).toContain(JSON.stringify(specifier));
  });
});
