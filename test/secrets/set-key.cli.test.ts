// oss set-key as an operator runs it: value from stdin, env or a hidden prompt; never argv;
// exact mode under any umask; links refused; only the consumer restarted; no value printed.
import { spawn } from 'node:child_process';
import { linkSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ossCommand, runOss } from '../helpers/run-oss';
import { listTree, makeStack, modeOf, readAll, removeStack, startFakeStack, watchProcesses, type FakeStack } from './fixtures';

const dirs: string[] = [];
const fakes: FakeStack[] = [];
const stack = () => {
  const d = makeStack('oss-setkey-');
  dirs.push(d);
  return d;
};
afterEach(async () => {
  for (const d of dirs.splice(0)) removeStack(d);
  for (const f of fakes.splice(0)) await f.close();
});

const CODEX = 'sk-proj-codex-0123456789abcdefghijklmnop';
const TELEGRAM = '123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ';

describe('set-key writes one file', () => {
  it.each([0o000, 0o077])('from stdin at exactly 0600 under umask %o, printing no value', async (mask) => {
    const dir = stack();
    const before = readAll(dir);
    const old = process.umask(mask);
    let r;
    try {
      r = await runOss(['set-key', 'codex', '--dir', dir, '--no-restart', '--json'], { input: `${CODEX}\n` });
    } finally {
      process.umask(old);
    }
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'secrets/codex_api_key'), 'utf8')).toBe(CODEX);
    expect(modeOf(join(dir, 'secrets/codex_api_key'))).toBe(0o600);
    expect(r.stdout + r.stderr).not.toContain(CODEX);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, secret: 'codex_api_key', changed: true, bytes: CODEX.length, from: 'stdin', mustRestart: ['codex-worker'], restarted: [], warnings: [] });
    const after = readAll(dir);
    expect({ ...after, codex_api_key: before.codex_api_key }).toEqual(before); // nothing else changed
    expect(listTree(dir).filter((p) => p.includes('.tmp-'))).toEqual([]);
  });

  it('from the matching environment variable', async () => {
    const dir = stack();
    const r = await runOss(['set-key', 'telegram', '--dir', dir, '--no-restart'], { env: { TELEGRAM_BOT_TOKEN: TELEGRAM } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'secrets/telegram_bot_token'), 'utf8')).toBe(TELEGRAM);
    expect(r.stdout).toMatch(/from env TELEGRAM_BOT_TOKEN/);
    expect(r.stdout + r.stderr).not.toContain(TELEGRAM);
  });

  it('warns about a malformed value without printing it', async () => {
    const dir = stack();
    const bad = 'abc:not-a-bot-token';
    const r = await runOss(['set-key', 'telegram', '--dir', dir, '--no-restart'], { input: bad });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning: Telegram bot token does not have the <digits>:<body> shape/);
    expect(r.stdout).toMatch(/length 19 is outside 30\.\.80/);
    expect(r.stdout + r.stderr).not.toContain(bad);
    expect(r.stdout + r.stderr).not.toContain('not-a-bot');
  });

  it('says "unchanged" and restarts nothing when the value is the same', async () => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    writeFileSync(join(dir, 'secrets/codex_api_key'), CODEX);
    const r = await runOss(['set-key', 'codex', '--dir', dir], { input: CODEX, env: fake.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/already holds this value/);
    expect(fake.state().restarts).toEqual([]);
  });
});

describe('set-key refuses bad input with exit 2 and changes nothing', () => {
  const cases: [string, string[], string, RegExp][] = [
    ['a value in argv', ['set-key', 'codex', CODEX], '', /refusing to take a key value from the command line/],
    ['a value in --value', ['set-key', 'codex', `--value=${CODEX}`], '', /refusing to take a key value from the command line/],
    ['a pasted key instead of the name', ['set-key', CODEX], '', /unknown key name \(not shown/],
    ['an unknown name', ['set-key', 'bridge'], '', /unknown key "bridge"/],
    ['empty stdin', ['set-key', 'codex'], '', /no value on stdin/],
    ['two lines on stdin', ['set-key', 'codex'], `${CODEX}\nsecond-line-value\n`, /stdin has 2 line/],
    ['surrounding spaces', ['set-key', 'codex'], ` ${CODEX} `, /whitespace/],
  ];
  it.each(cases)('%s', async (_t, args, input, message) => {
    const dir = stack();
    const before = readAll(dir);
    const tree = listTree(dir);
    const r = await runOss([...args, '--dir', dir, '--no-restart'], { input });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/hint: /);
    // the reason is given, the value never echoed
    expect(r.stdout + r.stderr).not.toContain(CODEX);
    expect(r.stderr).not.toContain('second-line-value');
    expect(readAll(dir)).toEqual(before);
    expect(listTree(dir)).toEqual(tree);
  });

  it('explains why argv is refused (ps, shell history)', async () => {
    const r = await runOss(['set-key', 'telegram', TELEGRAM]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ps/);
    expect(r.stderr).toMatch(/shell history/);
    expect(r.stderr).not.toContain(TELEGRAM);
  });

  it.each([
    ['symlink', (file: string, outside: string) => {
      rmSync(file);
      symlinkSync(outside, file);
    }, /symlink/],
    ['hard link', (file: string, outside: string) => {
      rmSync(outside);
      linkSync(file, outside);
    }, /hard link/],
  ] as const)('a %s on the secret path', async (_t, plant, message) => {
    const dir = stack();
    const file = join(dir, 'secrets/codex_api_key');
    const outside = join(dir, 'outside');
    writeFileSync(outside, 'outside content');
    plant(file, outside);
    const outsideBefore = readFileSync(outside, 'utf8');
    const tree = listTree(dir);
    const r = await runOss(['set-key', 'codex', '--dir', dir, '--no-restart'], { input: CODEX });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(outside, 'utf8')).toBe(outsideBefore);
    expect(listTree(dir)).toEqual(tree);
  });
});

describe('set-key with running consumers (fake docker on PATH)', () => {
  it('restarts only the consuming service and checks it is healthy', async () => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    const r = await runOss(['set-key', 'gateway-llm', '--dir', dir, '--json'], { input: `sk-${'x'.repeat(40)}`, env: fake.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ restarted: ['gateway'], mustRestart: [] });
    expect(fake.state().restarts).toEqual(['gateway']);
    const calls = fake.argv();
    expect(calls.some((a) => a[0] === 'inspect' && a.includes('openclaw-gateway'))).toBe(true);
    expect(JSON.stringify(calls)).not.toContain('x'.repeat(40));
  });

  it('neither its argv nor its children hold the value while it runs (/proc scan)', async () => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    const watch = watchProcesses();
    const r = await runOss(['set-key', 'codex', '--dir', dir], { input: CODEX, env: { ...fake.env, FAKE_DOCKER_DELAY_MS: '200' } });
    const seen = watch.stop();
    expect(r.code, r.stderr).toBe(0);
    expect([...seen].some((s) => s.includes('compose') && s.includes('codex-worker'))).toBe(true);
    expect([...seen].filter((s) => s.includes(CODEX))).toEqual([]);
  });

  it('an env-var value does not reach the restarted service\'s docker process', async () => {
    const dir = stack();
    const fake = await startFakeStack(dir);
    fakes.push(fake);
    const watch = watchProcesses();
    const r = await runOss(['set-key', 'codex', '--dir', dir], { env: { ...fake.env, CODEX_API_KEY: CODEX, FAKE_DOCKER_DELAY_MS: '200' } });
    const seen = [...watch.stop()];
    expect(r.code, r.stderr).toBe(0);
    // environ blocks of oss and its children carry FAKE_DOCKER_STATE; the children's must
    // lack CODEX_API_KEY (scrubbed before any child starts)
    const blocks = seen.filter((s) => s.includes('FAKE_DOCKER_STATE='));
    const children = blocks.filter((s) => !s.includes('CODEX_API_KEY='));
    expect(children.length).toBeGreaterThan(0);
    // the only place the value is: the variable the operator set, in oss's own environ
    for (const s of seen.filter((x) => x.includes(CODEX))) expect(s).toContain(`CODEX_API_KEY=${CODEX}`);
    expect(children.filter((s) => s.includes(CODEX))).toEqual([]);
  });
});

/** run `cmd` under script(1) (a real pty); type `input` once `marker` has appeared */
async function onPty(cmd: string, marker: string, input: string): Promise<{ code: number; out: string }> {
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const seen = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(marker)) resolve();
    });
  });
  const code = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  await seen;
  child.stdin.write(input);
  const rc = await code;
  return { code: rc, out };
}

describe('hidden prompt on a terminal', () => {
  it('control: the same pty harness does show typed input when echo is on', async () => {
    const r = await onPty(`printf 'ready: '; head -n 1 >/dev/null`, 'ready', 'control-visible-input\r');
    expect(r.out).toContain('control-visible-input');
  });

  it('does not echo the value typed at the prompt (real pty via script(1))', async () => {
    const dir = stack();
    const { file, prefix } = ossCommand();
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const cmd = [file, ...prefix, 'set-key', 'codex', '--dir', dir, '--no-restart'].map(q).join(' ');
    const { code: rc, out } = await onPty(cmd, 'input hidden', `${CODEX}\r`);
    expect(rc, out).toBe(0);
    expect(out).toMatch(/wrote secrets\/codex_api_key/);
    expect(out).not.toContain(CODEX);
    expect(out).not.toContain(CODEX.slice(0, 12));
    expect(readFileSync(join(dir, 'secrets/codex_api_key'), 'utf8')).toBe(CODEX);
  }, 30_000);
});
