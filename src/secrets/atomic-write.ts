// The one writer for secret files (and any file that must never be half-written):
// temp file in the same directory, exact mode from the first byte whatever the umask,
// fsync, rename, fsync the directory. Never follows a symlink, never writes through a
// hard link.
import { closeSync, constants, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { OssError } from '../errors';

export interface AtomicWriteOptions {
  mode: number;
  /** refuse if the target exists as a hard link to another file (nlink > 1); default true */
  refuseHardLinks?: boolean;
  /** test-only fault injection: throw after this step */
  failAfter?: 'temp-written' | 'renamed';
  /** owner to give the file before it becomes visible (needs root); default: the caller's */
  owner?: { uid: number; gid: number };
  /** called once the temp file is complete and synced, just before the rename (crash tests) */
  beforeRename?: (tempPath: string) => void;
}

/** lstat, or null when the path does not exist */
export function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** throws unless `path` is absent or a plain, singly-linked regular file */
export function assertSafeTarget(path: string, refuseHardLinks = true): void {
  const st = lstatOrNull(path);
  const dirSt = lstatOrNull(dirname(path));
  if (dirSt?.isSymbolicLink()) {
    throw new OssError(`refusing to write ${path}: its directory is a symlink`, {
      hint: `replace the symlink ${dirname(path)} with a real directory`,
    });
  }
  if (!st) return;
  if (st.isSymbolicLink()) {
    throw new OssError(`refusing to write ${path}: it is a symlink`, {
      hint: `remove the symlink ${path} (secrets are never written through a link) and run again`,
    });
  }
  if (!st.isFile()) {
    throw new OssError(`refusing to write ${path}: it is not a regular file`, {
      hint: `move ${path} out of the way and run again`,
    });
  }
  if (refuseHardLinks && st.nlink > 1) {
    throw new OssError(`refusing to write ${path}: it has ${st.nlink} hard links`, {
      hint: `another path shares this file; remove the extra link or the file and run again`,
    });
  }
}

export function writeFileAtomic(path: string, data: string | Buffer, opts: AtomicWriteOptions): void {
  assertSafeTarget(path, opts.refuseHardLinks ?? true);
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  // O_EXCL + O_NOFOLLOW: the temp name cannot be pre-planted as a link
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  let renamed = false;
  try {
    if (opts.owner) fchownSync(fd, opts.owner.uid, opts.owner.gid);
    fchmodSync(fd, opts.mode); // exact mode, independent of umask
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    if (opts.failAfter === 'temp-written') throw new Error('fault injected after temp-written');
    opts.beforeRename?.(tmp);
    renameSync(tmp, path);
    renamed = true;
    fsyncDir(dir);
    if (opts.failAfter === 'renamed') throw new Error('fault injected after renamed');
  } catch (err) {
    if (!renamed) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
      // a real crash would leave the temp file; an error we caught must not
      if (opts.failAfter !== 'temp-written') {
        try {
          unlinkSync(tmp);
        } catch {
          /* never created */
        }
      }
    }
    throw err;
  }
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** leftover temp files of the atomic writer in a directory */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}
