// Looking for secret values where they must not be: other files of the stack dir
// (temp files, backups, config copies), process command lines and environments.
// Findings name the place and the secret, never the value.
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Needle {
  /** label for findings, e.g. "old bridge_token" */
  label: string;
  value: string;
  /** the one file (relative to the stack dir) allowed to hold it */
  home?: string;
}

export interface LeakFinding {
  where: string;
  label: string;
}

const MAX_SCAN_BYTES = 32 * 1024 * 1024;

function usable(needles: Needle[]): Needle[] {
  // a short needle would match by chance; every secret we scan for is long
  return needles.filter((n) => n.value.length >= 8);
}

/** every regular file under `dir` (no symlinks followed) holding a needle outside its home */
export function scanFiles(dir: string, needles: Needle[]): { findings: LeakFinding[]; unreadable: string[] } {
  const list = usable(needles).map((n) => ({ ...n, buf: Buffer.from(n.value, 'utf8') }));
  const findings: LeakFinding[] = [];
  const unreadable: string[] = [];
  const walk = (path: string) => {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    const rel = relative(dir, path) || '.';
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(path);
      } catch {
        unreadable.push(rel);
        return;
      }
      for (const n of names) walk(join(path, n));
      return;
    }
    if (!st.isFile() || st.size > MAX_SCAN_BYTES || list.length === 0) return;
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch {
      unreadable.push(rel);
      return;
    }
    for (const n of list) if (rel !== n.home && data.includes(n.buf)) findings.push({ where: rel, label: n.label });
  };
  walk(dir);
  return { findings, unreadable };
}

function readProc(pid: string, file: string): Buffer | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`);
  } catch {
    return null;
  }
}

/**
 * Scan /proc/<pid>/cmdline of every process, and /proc/<pid>/environ of every process we
 * may read (ours and, as root, all). `skipEnvironOf` excludes pids whose environment the
 * operator filled on purpose (a value passed in an env var lives in our own environ block).
 */
export function scanProcesses(needles: Needle[], opts: { skipEnvironOf?: number[] } = {}): LeakFinding[] {
  const list = usable(needles).map((n) => ({ ...n, buf: Buffer.from(n.value, 'utf8') }));
  const findings: LeakFinding[] = [];
  if (list.length === 0) return findings;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p));
  } catch {
    return findings;
  }
  const skip = new Set((opts.skipEnvironOf ?? []).map(String));
  for (const pid of pids) {
    const cmd = readProc(pid, 'cmdline');
    if (cmd) for (const n of list) if (cmd.includes(n.buf)) findings.push({ where: `/proc/${pid}/cmdline`, label: n.label });
    if (skip.has(pid)) continue;
    const env = readProc(pid, 'environ');
    if (env) for (const n of list) if (env.includes(n.buf)) findings.push({ where: `/proc/${pid}/environ`, label: n.label });
  }
  return findings;
}
