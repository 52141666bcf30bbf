// Generates sea-config.json for the single executable. The asset list is derived from
// the tree, never hand-kept: every file under templates/ plus every bundle (and wasm)
// in dist/ except the CLI itself (that is the main script), each keyed by its path
// relative to the package root, the key src/assets.ts readAsset() uses.
//   node scripts/sea-config.mjs            writes sea-config.json
//   import { listAssets } from '...'       the same list, for tests
import { readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEA_MAIN = 'dist/cli.cjs';
export const SEA_BLOB = 'build/sea-prep.blob';
export const SEA_CONFIG = 'sea-config.json';

function walk(root, dir) {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(root, rel));
    else if (entry.isFile()) out.push(rel);
    // symlinks and other special files are not shipped: a link could point outside the tree
  }
  return out;
}

/** asset keys (relative paths with "/"), sorted */
export function listAssets(root) {
  const assets = [];
  if (existsSync(join(root, 'templates'))) assets.push(...walk(root, 'templates'));
  if (existsSync(join(root, 'dist'))) {
    for (const name of readdirSync(join(root, 'dist'))) {
      const rel = `dist/${name}`;
      if (rel === SEA_MAIN || !statSync(join(root, rel)).isFile()) continue;
      if (name.endsWith('.cjs') || name.endsWith('.wasm')) assets.push(rel);
    }
  }
  return assets.map((p) => p.split(sep).join('/')).sort();
}

export function seaConfig(root) {
  const assets = {};
  for (const key of listAssets(root)) assets[key] = key;
  return {
    main: SEA_MAIN,
    output: SEA_BLOB,
    disableExperimentalSEAWarning: true,
    // code cache: ~2x faster start-up; the blob then differs byte-wise between builds
    useCodeCache: true,
    useSnapshot: false,
    // the binary ignores NODE_OPTIONS: a stray --require on the host cannot break or hijack it
    execArgvExtension: 'none',
    assets,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.cwd();
  const config = seaConfig(root);
  writeFileSync(join(root, SEA_CONFIG), `${JSON.stringify(config, null, 2)}\n`);
  const n = Object.keys(config.assets).length;
  process.stdout.write(`${relative(root, join(root, SEA_CONFIG))}: ${n} assets\n`);
}
