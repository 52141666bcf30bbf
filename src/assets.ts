// Files shipped with oss: templates/ and the bundles in dist/. Inside the single
// executable they are SEA assets (keyed by the same relative path); otherwise they
// are read from the package root, one level above both src/ and dist/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as sea from 'node:sea';
import { OssError } from './errors';

function inSea(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
}

/** an embedded file; a missing key is the same clear error as a missing file on disk */
function seaAsset(relPath: string): Buffer {
  try {
    // getAsset copies; getRawAsset would hand out the executable's read-only memory
    return Buffer.from(sea.getAsset(relPath) as ArrayBuffer);
  } catch (err) {
    throw new OssError(`missing shipped file ${relPath}: not embedded in this executable`, {
      hint: 'rebuild it with `npm run build:binary` (it embeds every file under templates/ and dist/)',
      cause: err,
    });
  }
}

/** read a shipped file by its path relative to the package root, e.g. "templates/gitignore" */
export function readAsset(relPath: string): string {
  if (inSea()) return seaAsset(relPath).toString('utf8');
  const url = new URL(`../${relPath}`, import.meta.url);
  try {
    return readFileSync(fileURLToPath(url), 'utf8');
  } catch (err) {
    throw new OssError(`missing shipped file ${relPath}: ${(err as Error).message}`, {
      hint: relPath.startsWith('dist/') ? 'run `npm run bundle` first' : 'reinstall oss',
    });
  }
}

export function readBinaryAsset(relPath: string): Buffer {
  if (inSea()) return seaAsset(relPath);
  return readFileSync(fileURLToPath(new URL(`../${relPath}`, import.meta.url)));
}

/**
 * every shipped file's key: from the executable's embedded assets, or (from the repo)
 * by the rule scripts/sea-config.mjs embeds them: templates/** and dist/*.cjs|wasm but the CLI
 */
export function listAssets(): string[] {
  if (inSea()) {
    const keys = (sea as { getAssetKeys?: () => string[] }).getAssetKeys;
    if (!keys) throw new OssError('this Node runtime cannot list embedded assets (needs Node >= 24.8)');
    // sea/ holds the executable's own build artefacts (code cache), not shipped files
    return keys()
      .filter((k) => !k.startsWith('sea/'))
      .sort();
  }
  const root = fileURLToPath(new URL('../', import.meta.url));
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(`${root}${rel}`, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${rel}/${e.name}`);
      else if (e.isFile()) out.push(`${rel}/${e.name}`);
    }
  };
  if (existsSync(`${root}templates`)) walk('templates');
  if (existsSync(`${root}dist`)) {
    for (const e of readdirSync(`${root}dist`, { withFileTypes: true })) {
      if (e.isFile() && e.name !== 'cli.cjs' && /\.(cjs|wasm)$/.test(e.name)) out.push(`dist/${e.name}`);
    }
  }
  return out.sort();
}
