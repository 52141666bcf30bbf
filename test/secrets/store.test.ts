// The secret store on a real filesystem: exact modes under any umask, links refused with
// nothing changed, the shape warnings never quoting the value.
import { linkSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatWarnings } from '../../src/secrets/format';
import { ensureSecretDir, readSecret, stagedDir, writeSecret } from '../../src/secrets/store';
import { secretByName } from '../../src/stack/model';
import { listTree, makeStack, modeOf, removeStack } from './fixtures';

const dirs: string[] = [];
const stack = () => {
  const d = makeStack();
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) removeStack(d);
});

describe.each([0o000, 0o077, 0o022])('under umask %o', (mask) => {
  it('writes secret files at exactly 0600 and the staging dir at 0700', () => {
    const old = process.umask(mask);
    try {
      const dir = stack();
      writeSecret(dir, 'codex_api_key', 'sk-test-value-0123456789abcdef');
      expect(modeOf(join(dir, 'secrets/codex_api_key'))).toBe(0o600);
      expect(readSecret(dir, 'codex_api_key')).toBe('sk-test-value-0123456789abcdef');
      ensureSecretDir(stagedDir(dir));
      expect(modeOf(stagedDir(dir))).toBe(0o700);
      expect(modeOf(join(dir, 'secrets'))).toBe(0o700);
    } finally {
      process.umask(old);
    }
  });
});

describe('links on secret paths', () => {
  it('refuses to write through a symlink and changes neither the link nor its target', () => {
    const dir = stack();
    const target = join(dir, 'elsewhere');
    writeFileSync(target, 'untouched');
    const link = join(dir, 'secrets/codex_api_key');
    rmSync(link);
    symlinkSync(target, link);
    const before = listTree(dir);
    expect(() => writeSecret(dir, 'codex_api_key', 'sk-new-value-0123456789abcdef')).toThrow(/symlink/);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(listTree(dir)).toEqual(before);
  });

  it('refuses a secret file with a second hard link', () => {
    const dir = stack();
    const file = join(dir, 'secrets/gateway_token');
    const original = readFileSync(file, 'utf8');
    linkSync(file, join(dir, 'copy'));
    expect(() => writeSecret(dir, 'gateway_token', 'f'.repeat(64))).toThrow(/hard link/);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(readFileSync(join(dir, 'copy'), 'utf8')).toBe(original);
  });

  it('refuses a staging dir that is a symlink', () => {
    const dir = stack();
    mkdirSync(join(dir, 'other'));
    symlinkSync(join(dir, 'other'), stagedDir(dir));
    expect(() => ensureSecretDir(stagedDir(dir))).toThrow(/symlink/);
  });
});

describe('format warnings', () => {
  const openai = secretByName('openai_api_key')!;
  const telegram = secretByName('telegram_bot_token')!;
  it.each([
    ['openai_api_key', 'not-an-openai-key-but-long-enough', /does not start with "sk-"/],
    ['openai_api_key', 'sk-short', /suspiciously short/],
    ['telegram_bot_token', 'abc:defghijklmnopqrstuvwxyz0123456789', /<digits>:<body>/],
    ['telegram_bot_token', '123:short', /outside 30\.\.80/],
  ] as const)('warns about a bad %s without quoting the value', (name, value, pattern) => {
    const w = formatWarnings(secretByName(name)!, value);
    expect(w.join('\n')).toMatch(pattern);
    for (const line of w) {
      expect(line).not.toContain(value);
      // not even a recognisable slice of it
      expect(line).not.toContain(value.slice(-6));
    }
  });
  it('is silent for well-formed values', () => {
    expect(formatWarnings(openai, `sk-${'a'.repeat(40)}`)).toEqual([]);
    expect(formatWarnings(telegram, `123456789:${'A'.repeat(35)}`)).toEqual([]);
  });
});
