// The token file rules, on real files: missing, too short, group/world-accessible,
// not a regular file, unprintable; errors never carry the value.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTokenFile } from '../../src/bridge/token';
import { OssError } from '../../src/errors';
import { modeFile } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'oss-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string, mode = 0o600) => modeFile(dir, name, content, mode);

function errorOf(fn: () => unknown): OssError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OssError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('readTokenFile', () => {
  const good = 'f'.repeat(64);

  it('reads a 0600 file and trims the newline', () => {
    expect(readTokenFile(file('ok', `${good}\n`))).toBe(good);
    expect(readTokenFile(file('ok400', good, 0o400))).toBe(good);
  });

  it('refuses a missing file, naming it', () => {
    const e = errorOf(() => readTokenFile(join(dir, 'absent')));
    expect(e.message).toContain('absent');
    expect(e.exitCode).toBe(2);
  });

  it('refuses fewer than 32 characters without printing them', () => {
    const short = 'abc123secret-short';
    const e = errorOf(() => readTokenFile(file('short', short)));
    expect(e.message).toMatch(/shorter than 32/);
    expect(`${e.message} ${e.hint}`).not.toContain(short);
  });

  for (const mode of [0o640, 0o604, 0o644, 0o620, 0o660]) {
    it(`refuses mode ${mode.toString(8)}`, () => {
      const e = errorOf(() => readTokenFile(file(`m${mode}`, good, mode)));
      expect(e.message).toMatch(/group or others/);
      expect(e.hint).toContain('chmod 600');
      expect(`${e.message} ${e.hint}`).not.toContain(good);
    });
  }

  it('refuses a directory and a token with spaces', () => {
    mkdirSync(join(dir, 'd'), { mode: 0o700 });
    expect(errorOf(() => readTokenFile(join(dir, 'd'))).message).toMatch(/not a regular file/);
    expect(errorOf(() => readTokenFile(file('sp', `${'a'.repeat(20)} ${'b'.repeat(20)}`))).message).toMatch(/spaces/);
  });
});
