// Writes HARDENING.md and docs/verify-report.schema.json from the check registry and the
// report schema. Bundles the TypeScript sources with esbuild first (Node runs no TS).
// Usage: node scripts/gen-hardening.mjs [--check]   (--check: exit 1 when a file is stale)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const tmp = mkdtempSync(join(tmpdir(), 'oss-gen-'));
try {
  const outfile = join(tmp, 'docs.mjs');
  await build({
    stdin: {
      contents: `export { renderHardening } from './src/verify/hardening';\nexport { reportJsonSchema } from './src/verify/report-schema';\nexport { checks } from './checks/index';\n`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const mod = await import(pathToFileURL(outfile).href);
  const files = {
    'HARDENING.md': mod.renderHardening(mod.checks),
    'docs/verify-report.schema.json': `${JSON.stringify(mod.reportJsonSchema(), null, 2)}\n`,
  };
  let stale = false;
  for (const [f, text] of Object.entries(files)) {
    let old = null;
    try {
      old = readFileSync(f, 'utf8');
    } catch {}
    if (old === text) continue;
    stale = true;
    if (process.argv.includes('--check')) console.error(`${f} is stale: run npm run gen:hardening`);
    else {
      writeFileSync(f, text);
      console.log(`wrote ${f}`);
    }
  }
  if (stale && process.argv.includes('--check')) process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
