// Locates the openclaw CLI and its Node 24 installed by scripts/setup-openclaw.sh.
// In CI a missing install is a failure, locally a skip with a message.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/run-oss';

function findBinDir(): string | null {
  if (process.env.OSS_OPENCLAW_BIN && existsSync(join(process.env.OSS_OPENCLAW_BIN, 'openclaw'))) return process.env.OSS_OPENCLAW_BIN;
  try {
    // idempotent and ~instant once installed; prints the bin dir
    const out = execFileSync('bash', [join(repoRoot, 'scripts/setup-openclaw.sh'), '--check'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out && existsSync(join(out, 'openclaw')) ? out : null;
  } catch {
    return null;
  }
}

export const openclawBin = findBinDir();
export const inCI = 'CI' in process.env && process.env.CI !== '' && process.env.CI !== 'false';
/** run the suite when openclaw is there; in CI a missing install fails loudly instead of skipping */
export const haveOpenclaw = openclawBin !== null || inCI;
if (!openclawBin && !inCI) {
  console.warn('openclaw not installed: run scripts/setup-openclaw.sh (skipping the real-CLI tests locally)');
}

export function requireOpenclawBin(): string {
  if (!openclawBin) throw new Error('openclaw is not installed: run scripts/setup-openclaw.sh first (required when CI is set)');
  return openclawBin;
}

/** PATH with Node 24 and openclaw first */
export function openclawPath(): string {
  return `${requireOpenclawBin()}:${process.env.PATH ?? ''}`;
}
