// The executable under test (node bin/oss, or build/oss with OSS_BIN) answers the same:
// version, help, and every shipped file readable with the bytes the repo holds.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runOss } from '../helpers/run-oss';
// @ts-expect-error plain JS build script, no types
import { listAssets } from '../../scripts/sea-config.mjs';

const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const underBinary = Boolean(process.env.OSS_BIN);
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'oss-selftest-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('oss executable', () => {
  it('--version prints the package version and nothing else', async () => {
    const r = await runOss(['--version'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.stderr).toBe('');
  });

  it('--help lists the commands and exits 0 without loading a command', async () => {
    const r = await runOss(['--help'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: oss /);
    for (const cmd of ['init', 'verify', 'self-test']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
  });

  it('an unknown command is bad input: exit 2', async () => {
    const r = await runOss(['no-such-command'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });

  it('self-test reads every shipped file with the bytes in the repo, spawns, prints progress', async () => {
    const r = await runOss(['self-test', '--json'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      sea: boolean;
      version: string;
      node: string;
      assets: { path: string; bytes: number; sha256: string }[];
      codeCache: string;
      spawn: { ok: boolean };
      progress: { ok: boolean };
    };
    expect(report.ok).toBe(true);
    expect(report.sea).toBe(underBinary);
    expect(report.version).toBe(pkg.version);
    if (underBinary) expect(report.node).toMatch(/^v24\./);
    // inside the executable the command bundle compiles from its build-time V8 code cache
    expect(report.codeCache).toBe(underBinary ? 'accepted' : 'not-sea');
    expect(report.spawn.ok).toBe(true);
    expect(report.progress.ok).toBe(true);
    // the embedded list is exactly what the build script embeds from this tree
    expect(report.assets.map((a) => a.path)).toEqual(listAssets(repoRoot));
    expect(report.assets.some((a) => a.path === 'templates/docker-compose.yml')).toBe(true);
    for (const a of report.assets) {
      const onDisk = await readFile(join(repoRoot, a.path));
      expect({ path: a.path, sha256: a.sha256 }, 'stale build/oss? run npm run build:binary').toEqual({
        path: a.path,
        sha256: createHash('sha256').update(onDisk).digest('hex'),
      });
    }
  });

  it('self-test without --json prints a readable summary', async () => {
    const r = await runOss(['self-test'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^oss ${pkg.version.replace(/\./g, '\\.')} on Node v\\d+`));
    expect(r.stdout).toMatch(/^ok +\d+ shipped files readable/m);
    expect(r.stdout).not.toMatch(/FAIL/);
  });
});
