// Files shipped with oss: templates/ and the bundles in dist/. Inside the single
// executable they are SEA assets (keyed by the same relative path); otherwise they
// are read from the package root, one level above both src/ and dist/.
import { readFileSync } from 'node:fs';
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

/** read a shipped file by its path relative to the package root, e.g. "templates/gitignore" */
export function readAsset(relPath: string): string {
  if (inSea()) return sea.getAsset(relPath, 'utf8');
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
  if (inSea()) return Buffer.from(sea.getRawAsset(relPath) as ArrayBuffer);
  return readFileSync(fileURLToPath(new URL(`../${relPath}`, import.meta.url)));
}
