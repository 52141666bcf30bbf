// oss rotate-secrets as an operator runs it, on real temp dirs: files rotated at exact
// modes, links refused with nothing changed, a crash (SIGKILL) at every step repaired by
// the next run, nothing left behind, no value in any process listing.
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultRotationNames, rotationSteps } from '../../src/secrets/rotate';
import { JOURNAL_FILE } from '../../src/secrets/journal';
import type { SecretName } from '../../src/stack/model';
import { runOss } from '../helpers/run-oss';
import { listTree, makeStack, modeOf, readAll, removeStack, sha256, startFakeStack, watchProcesses, type FakeStack } from './fixtures';

const dirs: string[] = [];
const fakes: FakeStack[] = [];
const stack = () => {
  const d = makeStack('oss-rotate-');
  dirs.push(d);
  return d;
};
afterEach(async () => {
  for (const d of dirs.splice(0)) removeStack(d);
  for (const f of fakes.splice(0)) await f.close();
});

const HEX64 = /^[0-9a-f]{64}$/;
const generated = defaultRotationNames();
const faults = (step: string) => ({ OSS_TEST_FAULTS: '1', OSS_FAULT_INJECT: step });

/** nothing a rotation may leave: journal, lock, staged dir, temp files */
function expectClean(dir: string) {
  const tree = listTree(dir);
  expect(tree.filter((p) => p.includes('.staged') || p.includes('.tmp-') || p.startsWith('.oss/rotation'))).toEqual([]);
  for (const name of readdirSync(join(dir, 'secrets'))) expect(modeOf(join(dir, 'secrets', name)), name).toBe(0o600);
  expect(modeOf(join(dir, 'secrets'))).toBe(0o700);
}

beforeAll(() => {
  expect(generated).toEqual(['bridge_token', 'gateway_token']);
});

describe('rotate-secrets --no-restart', () => {
  it.each([0o000, 0o077])('rotates the generated tokens at 0600 under umask %o and leaves nothing behind', async (mask) => {
    const dir = stack();
    const before = readAll(dir);
    const old = process.umask(mask); // the child inherits it
    let r;
    try {
      r = await runOss(['rotate-secrets', '--dir', dir, '--no-restart', '--json']);
    } finally {
      process.umask(old);
    }
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = readAll(dir);
    for (const n of generated) {
      expect(after[n]).toMatch(HEX64);
      expect(after[n]).not.toBe(before[n]);
      expect(r.stdout).not.toContain(after[n]);
      expect(r.stdout).not.toContain(before[n]);
    }
    expect(after.bridge_token).not.toBe(after.gateway_token);
    expect(after.openai_api_key).toBe(before.openai_api_key);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ ok: true, rotated: generated, restarted: [], mustRestart: ['bridge', 'gateway'], leaks: [] });
    expectClean(dir);
  });

  it('says what must be restarted, in order, in plain output', async () => {
    const dir = stack();
    const r = await runOss(['rotate-secrets', '--dir', dir, '--no-restart', '--only', 'gateway_token']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/not restarted: gateway/);
    expect(r.stdout).toContain('docker compose restart gateway');
  });

  it('takes a new operator key from stdin with --only and warns about its shape without printing it', async () => {
    const dir = stack();
    const before = readAll(dir);
    const token = 'not-a-telegram-token-but-a-long-enough-value';
    const r = await runOss(['rotate-secrets', '--dir', dir, '--no-restart', '--only', 'bridge_token,telegram'], { input: `${token}\n` });
    expect(r.code).toBe(0);
    const after = readAll(dir);
    expect(after.telegram_bot_token).toBe(token);
    expect(after.bridge_token).not.toBe(before.bridge_token);
    expect(after.gateway_token).toBe(before.gateway_token);
    expect(r.stdout + r.stderr).not.toContain(token);
    expectClean(dir);
  });

  it.each([
    [['--only', 'bridge_token,nonsense'], /unknown secret "nonsense"/, ''],
    [['--only', 'sk-live-0123456789abcdefghijkl'], /not shown/, ''],
    [['--only', 'telegram,codex'], /stdin has 1 line\(s\) but 2 value\(s\)/, 'one-line-only-0123456789abcdef\n'],
    [['--only', 'telegram'], /no value on stdin/, ''],
  ])('refuses %j with exit 2 and changes nothing', async (args, message, input) => {
    const dir = stack();
    const before = readAll(dir);
    const tree = listTree(dir);
    const r = await runOss(['rotate-secrets', '--dir', dir, '--no-restart', ...args], { input });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/hint:/);
    expect(r.stderr).not.toContain('sk-live');
    expect(readAll(dir)).toEqual(before);
    expect(listTree(dir)).toEqual(tree);
  });

  it('refuses a missing stack dir with exit 2', async () => {
    const r = await runOss(['rotate-secrets', '--dir', '/nonexistent/oss-stack', '--no-restart']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
  });
});

describe('link tricks on secret paths', () => {
  const tricks: [string, (dir: string, outside: string) => void, RegExp][] = [
    ['secret file is a symlink', (dir, outside) => {
      rmSync(join(dir, 'secrets/bridge_token'));
      symlinkSync(outside, join(dir, 'secrets/bridge_token'));
    }, /symlink/],
    ['secret file has a second hard link', (dir) => linkSync(join(dir, 'secrets/gateway_token'), join(dir, 'gateway_token.copy')), /hard link/],
    ['secrets dir is a symlink', (dir) => {
      renameSync(join(dir, 'secrets'), join(dir, 'real-secrets'));
      symlinkSync(join(dir, 'real-secrets'), join(dir, 'secrets'));
    }, /symlink/],
    ['state dir .oss is a symlink', (dir) => {
      mkdirSync(join(dir, 'elsewhere'));
      symlinkSync(join(dir, 'elsewhere'), join(dir, '.oss'));
    }, /symlink/],
  ];
  it.each(tricks)('%s: refused with exit 2, nothing changed', async (_title, plant, message) => {
    const dir = stack();
    const outside = join(dir, 'outside-target');
    writeFileSync(outside, 'must stay exactly this');
    plant(dir, outside);
    const tree = listTree(dir);
    const contents = tree.filter((p) => !p.includes('secrets') || p.startsWith('real-')).length;
    const values = Object.fromEntries(tree.filter((p) => /^(real-)?secrets\/[a-z_]+$/.test(p)).map((p) => [p, existsSync(join(dir, p)) ? readFileSync(join(dir, p), 'utf8') : null]));
    const r = await runOss(['rotate-secrets', '--dir', dir, '--no-restart']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(listTree(dir)).toEqual(tree);
    expect(tree.filter((p) => !p.includes('secrets') || p.startsWith('real-')).length).toBe(contents);
    for (const [p, v] of Object.entries(values)) expect(existsSync(join(dir, p)) ? readFileSync(join(dir, p), 'utf8') : null, p).toBe(v);
    expect(readFileSync(outside, 'utf8')).toBe('must stay exactly this');
  });
});

/** the new value of each name a crashed run had decided on (staged or already live) */
function crashedPlanValues(dir: string, names: SecretName[]): Partial<Record<SecretName, string>> {
  const out: Partial<Record<SecretName, string>> = {};
  for (const n of names) {
    const staged = join(dir, 'secrets/.staged', n);
    out[n] = existsSync(staged) ? readFileSync(staged, 'utf8') : readFileSync(join(dir, 'secrets', n), 'utf8');
  }
  return out;
}

describe('a crash at every step is repaired by the next run (--no-restart)', () => {
  const steps = rotationSteps(generated, false);
  const commitAt = steps.indexOf('journal:committing');
  it('has a fault point for every durable write', () => {
    expect(steps).toEqual([
      'journal-temp:preparing', 'journal:preparing',
      'stage-temp:bridge_token', 'staged:bridge_token', 'stage-temp:gateway_token', 'staged:gateway_token',
      'journal-temp:committing', 'journal:committing',
      'committed:bridge_token', 'committed:gateway_token',
      'journal:cleaning', 'staged-removed', 'journal-removed',
    ]);
  });

  it.each(steps.map((s, i) => [s, i] as const))('crash at %s', async (step, index) => {
    const dir = stack();
    const before = readAll(dir);
    const crashed = await runOss(['rotate-secrets', '--dir', dir, '--no-restart'], { env: faults(step) });
    expect(crashed.code, crashed.stderr).toBe(128); // SIGKILL: no cleanup ran
    const mid = readAll(dir);
    const planned = crashedPlanValues(dir, generated);
    for (const n of generated) {
      // every live file is entirely the old or entirely the new value, never a mix
      expect([before[n], planned[n]]).toContain(mid[n]);
      expect(modeOf(join(dir, 'secrets', n))).toBe(0o600);
    }
    if (index < commitAt) for (const n of generated) expect(mid[n]).toBe(before[n]);

    const rerun = await runOss(['rotate-secrets', '--dir', dir, '--no-restart', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const json = JSON.parse(rerun.stdout);
    const after = readAll(dir);
    if (index < commitAt) {
      // rolled back, then rotated afresh: neither the old nor the abandoned staged values
      if (step !== 'journal-temp:preparing') expect(json.recovered).toMatchObject({ action: 'rolled-back', phase: 'preparing' });
      for (const n of generated) {
        expect(after[n]).not.toBe(before[n]);
        expect(after[n]).toMatch(HEX64);
      }
    } else if (index < steps.indexOf('journal-removed')) {
      // rolled forward: exactly the values the crashed run had committed to
      expect(json.recovered).toMatchObject({ action: 'completed' });
      for (const n of generated) expect(after[n]).toBe(planned[n]);
    } else {
      // the crashed run had finished; the rerun is a new rotation
      expect(json.recovered).toBeUndefined();
      for (const n of generated) expect(after[n]).not.toBe(planned[n]);
    }
    expect(json.leaks).toEqual([]);
    expect(after.openai_api_key).toBe(before.openai_api_key);
    expectClean(dir);
  });
});

describe('with running consumers (fake docker on PATH, real HTTP gateway stand-in)', () => {
  it('restarts bridge before gateway, proves old 401 / new 200, and no argv holds a value', async () => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    const before = readAll(dir);
    const r = await runOss(['rotate-secrets', '--dir', dir, '--json'], { env: fake.env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const json = JSON.parse(r.stdout);
    const after = readAll(dir);
    expect(json.restarted).toEqual(['bridge', 'gateway']);
    expect(fake.state().restarts).toEqual(['bridge', 'gateway']);
    const titles = Object.fromEntries(json.proof.map((p: { title: string; ok: boolean }) => [p.title, p.ok]));
    expect(titles).toEqual({
      'bridge accepts the new bridge token': true,
      'bridge refuses the old bridge token': true,
      'gateway accepts the new gateway token': true,
      'gateway refuses the old gateway token': true,
      'no container environment holds a secret': true,
      'no container log holds a secret': true,
    });
    // the running services hold the new values, the same bridge token on both sides
    const st = fake.state();
    expect(st.running.bridge!.bridge_token).toBe(sha256(after.bridge_token));
    expect(st.running.gateway!.bridge_token).toBe(sha256(after.bridge_token));
    expect(st.running.gateway!.gateway_token).toBe(sha256(after.gateway_token));
    const argv = JSON.stringify(fake.argv());
    for (const v of [before.bridge_token, before.gateway_token, after.bridge_token, after.gateway_token]) expect(argv).not.toContain(v);
    expectClean(dir);
  });

  it('restarts only the codex worker for --only codex', async () => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    const r = await runOss(['rotate-secrets', '--dir', dir, '--only', 'codex', '--json'], { env: fake.env, input: 'sk-rotated-codex-key-0123456789\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.state().restarts).toEqual(['codex-worker']);
    expect(readAll(dir).codex_api_key).toBe('sk-rotated-codex-key-0123456789');
  });

  it('a failed restart exits 1, keeps the journal, and the next run finishes the restarts', async () => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    fake.setState({ failRestart: 'gateway' });
    const first = await runOss(['rotate-secrets', '--dir', dir], { env: fake.env });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/docker compose restart gateway` failed/);
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(true);
    const rotated = readAll(dir);
    fake.setState({ failRestart: undefined });
    const second = await runOss(['rotate-secrets', '--dir', dir, '--json'], { env: fake.env });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).recovered).toMatchObject({ action: 'completed', phase: 'restarting' });
    expect(readAll(dir)).toEqual(rotated);
    // the bridge had come back healthy before the failure (journaled): only the gateway is left
    expect(fake.state().restarts).toEqual(['bridge', 'gateway']);
    expect(fake.state().running.gateway!.bridge_token).toBe(fake.state().running.bridge!.bridge_token);
    expectClean(dir);
  });

  const restartSteps = rotationSteps(generated, true).filter((s, i, all) => i > all.indexOf('committed:gateway_token'));
  it.each(restartSteps)('crash at %s: the next run leaves gateway and bridge on the same, new token', async (step) => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    const before = readAll(dir);
    const crashed = await runOss(['rotate-secrets', '--dir', dir], { env: { ...fake.env, ...faults(step) } });
    expect(crashed.code).toBe(128);
    const planned = readAll(dir);
    const rerun = await runOss(['rotate-secrets', '--dir', dir, '--json'], { env: fake.env });
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
    const after = readAll(dir);
    const st = fake.state();
    if (step !== 'journal-removed') expect(after).toEqual(planned);
    expect(after.bridge_token).not.toBe(before.bridge_token);
    expect(st.running.bridge!.bridge_token).toBe(sha256(after.bridge_token));
    expect(st.running.gateway!.bridge_token).toBe(sha256(after.bridge_token));
    expect(st.running.gateway!.gateway_token).toBe(sha256(after.gateway_token));
    const json = JSON.parse(rerun.stdout);
    expect(json.proof.every((p: { ok: boolean }) => p.ok)).toBe(true);
    expectClean(dir);
  });

  it('a /proc scan while it runs finds no old or new value in any command line or environment', async () => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    const before = readAll(dir);
    const watch = watchProcesses();
    const r = await runOss(['rotate-secrets', '--dir', dir], { env: { ...fake.env, FAKE_DOCKER_DELAY_MS: '150' } });
    const seen = watch.stop();
    expect(r.code, r.stderr).toBe(0);
    const after = readAll(dir);
    expect(seen.size).toBeGreaterThan(10);
    // the scan did see the fake docker children (it would have seen a value in their argv)
    expect([...seen].some((s) => s.includes('compose') && s.includes('restart'))).toBe(true);
    for (const v of [before.bridge_token, before.gateway_token, after.bridge_token, after.gateway_token]) {
      expect([...seen].filter((s) => s.includes(v))).toEqual([]);
    }
  });
});
