// Bad input to `oss harden` / `oss telegram enable`: exit 2, the problem and the fix named,
// nothing written. No OpenClaw needed.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOss } from '../helpers/run-oss';

describe('oss harden: bad input', () => {
  it('a missing OpenClaw home is exit 2 with the fix, nothing created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oss-harden-bad-'));
    try {
      const r = await runOss(['harden', '--local', '--openclaw-home', join(dir, 'nope'), '--dir', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no openclaw\.json in .*nope/);
      expect(r.stderr).toMatch(/hint: onboard OpenClaw first/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a dir that is not a stack is exit 2 naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oss-harden-bad-'));
    try {
      const r = await runOss(['harden', '--dir', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not an oss stack dir/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('oss telegram enable: bad input', () => {
  it('without operator ids it refuses with exit 2 before touching anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oss-tg-bad-'));
    try {
      const home = join(dir, 'home');
      mkdirSync(home);
      writeFileSync(join(home, 'openclaw.json'), '{}');
      const r = await runOss(['telegram', 'enable', '--local', '--openclaw-home', home, '--dir', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no Telegram operator id/);
      expect(r.stderr).toMatch(/hint: .*operatorIds/);
      expect(readdirSync(home)).toEqual(['openclaw.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
