// The secrets directory of a stack: <dir>/secrets/<name> (0600, dir 0700), owned by the
// containers' non-root user when we run as root. Every write goes through writeFileAtomic.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OssError } from '../errors';
import {
  GENERATED_TOKEN_BYTES,
  RUNTIME_GID,
  RUNTIME_UID,
  SECRETS_DIR,
  SECRETS_DIR_MODE,
  SECRET_FILE_MODE,
  secretPath,
  type SecretName,
} from '../stack/model';
import { assertSafeTarget, isAtomicTempName, writeFileAtomic } from './atomic-write';

/** new values waiting to replace the live ones during a rotation */
export const STAGED_DIR = '.staged';

export function secretsDir(dir: string): string {
  return join(dir, SECRETS_DIR);
}

export function secretFile(dir: string, name: SecretName): string {
  return join(dir, secretPath(name));
}

export function stagedDir(dir: string): string {
  return join(secretsDir(dir), STAGED_DIR);
}

export function stagedFile(dir: string, name: SecretName): string {
  return join(stagedDir(dir), name);
}

/** a fresh generated token: GENERATED_TOKEN_BYTES random bytes, hex */
export function generateToken(): string {
  return randomBytes(GENERATED_TOKEN_BYTES).toString('hex');
}

/** root writes secrets owned by the containers' user so compose file secrets are readable */
export function secretOwner(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: RUNTIME_UID, gid: RUNTIME_GID } : undefined;
}

/** throws unless `path` is absent or a real directory (never a symlink) */
export function assertRealDir(path: string): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new OssError(`refusing to use ${path}: it is ${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}`, {
      hint: `replace ${path} with a real directory (mode 0700) and run again`,
    });
  }
  return true;
}

/** create (or tighten) a secrets directory at mode 0700 */
export function ensureSecretDir(path: string): void {
  if (!assertRealDir(path)) mkdirSync(path, { mode: SECRETS_DIR_MODE });
  chmodSync(path, SECRETS_DIR_MODE); // mkdir honours the umask; chmod does not
  const owner = secretOwner();
  if (owner) chownSync(path, owner.uid, owner.gid);
}

/** the stack dir must exist and look like one */
export function assertStackDir(dir: string): void {
  if (!assertRealDir(dir)) {
    throw new OssError(`stack directory ${dir} does not exist`, {
      hint: 'run `oss init --dir <dir>` first, or pass the right --dir',
    });
  }
  if (!assertRealDir(secretsDir(dir))) {
    throw new OssError(`${secretsDir(dir)} does not exist`, {
      hint: 'run `oss init --dir <dir>` first: it creates the secrets directory',
    });
  }
}

/** read a secret file safely (no symlink, no hard link); null when absent */
export function readSecret(dir: string, name: SecretName): string | null {
  return readSecretAt(secretFile(dir, name));
}

export function readSecretAt(path: string): string | null {
  assertSafeTarget(path);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** write one secret file atomically at 0600 (owned by the runtime user under root) */
export function writeSecretAt(path: string, value: string, beforeRename?: () => void): void {
  writeFileAtomic(path, value, { mode: SECRET_FILE_MODE, owner: secretOwner(), beforeRename });
}

export function writeSecret(dir: string, name: SecretName, value: string, beforeRename?: () => void): void {
  writeSecretAt(secretFile(dir, name), value, beforeRename);
}

/** leftover temp files of interrupted atomic writes in a directory (names only) */
export function tempLeftovers(path: string): string[] {
  try {
    return readdirSync(path).filter(isAtomicTempName);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** remove leftover temp files; they may hold a half-rotated value */
export function removeTempLeftovers(path: string): string[] {
  const names = tempLeftovers(path);
  for (const n of names) rmSync(join(path, n), { force: true });
  return names;
}
