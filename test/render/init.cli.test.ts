// oss init as a user runs it: real temp dirs, real modes, real processes.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOss } from '../helpers/run-oss';

const root = mkdtempSync(join(tmpdir(), 'oss-init-'));
let n = 0;
const freshDir = () => join(root, `stack-${++n}`);

/** sha256 of every file under dir (content + mode), for "nothing changed" assertions */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      const key = relative(dir, p);
      if (st.isDirectory()) {
        out[`${key}/`] = (st.mode & 0o7777).toString(8);
        walk(p);
      } else if (st.isSymbolicLink()) out[key] = `link:${p}`;
      else out[key] = `${(st.mode & 0o7777).toString(8)}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const SECRETS = ['bridge_token', 'gateway_token', 'openai_api_key', 'codex_api_key', 'telegram_bot_token', 'db_dsn'];

afterAll(() => {
  spawnSync('chattr', ['-R', '-i', root]);
  rmSync(root, { recursive: true, force: true });
});

describe('oss init', () => {
  let dir: string;
  let first: { code: number; stdout: string; stderr: string };
  const oldUmask = process.umask();

  beforeAll(async () => {
    dir = freshDir();
    process.umask(0o000); // modes must be exact whatever the umask
    try {
      first = await runOss(['init', '--dir', dir, '--telegram-id', '123456789']);
    } finally {
      process.umask(oldUmask);
    }
  });

  it('renders every file of the stack and says what it created', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const f of [
      'oss.yaml',
      'docker-compose.yml',
      '.gitignore',
      '.oss/manifest.json',
      'gateway/Dockerfile',
      'gateway/config/openclaw.json',
      'gateway/scripts/run-codex.sh',
      'gateway/scripts/deploy-staging.sh',
      'gateway/scripts/query-readonly.sh',
      'gateway/scripts/bridge-client.cjs',
      'bridge/Dockerfile',
      'bridge/bridge.cjs',
      'socket-proxy/Dockerfile',
      'socket-proxy/haproxy.cfg',
      'codex-worker/Dockerfile',
      'codex-worker/preamble.md',
      'codex-worker/config.toml',
      'deploy-runner/Dockerfile',
      'db-query-runner/Dockerfile',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(first.stdout).toContain('created docker-compose.yml');
    expect(first.stdout).toMatch(/secrets: 6 created, 0 kept/);
  });

  it('writes every secret 0600 in a 0700 directory even under umask 000, and never prints one', () => {
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    for (const s of SECRETS) {
      const st = lstatSync(join(dir, 'secrets', s));
      expect(st.isFile(), s).toBe(true);
      expect(st.mode & 0o777, s).toBe(0o600);
    }
    const bridge = readFileSync(join(dir, 'secrets/bridge_token'), 'utf8');
    const gw = readFileSync(join(dir, 'secrets/gateway_token'), 'utf8');
    expect(bridge).toMatch(/^[0-9a-f]{64}$/);
    expect(gw).toMatch(/^[0-9a-f]{64}$/);
    expect(bridge).not.toBe(gw);
    expect(readFileSync(join(dir, 'secrets/openai_api_key'), 'utf8')).toBe('');
    expect(first.stdout).not.toContain(bridge);
    expect(first.stdout).not.toContain(gw);
    // private state and the OpenClaw config dir are not world-readable
    expect(statSync(join(dir, 'gateway/config')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'gateway/config/openclaw.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'gateway/scripts/run-codex.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'docker-compose.yml')).mode & 0o777).toBe(0o644);
  });

  it('keeps secrets out of the compose file and openclaw.json', () => {
    const bridge = readFileSync(join(dir, 'secrets/bridge_token'), 'utf8');
    const gw = readFileSync(join(dir, 'secrets/gateway_token'), 'utf8');
    for (const f of ['docker-compose.yml', 'gateway/config/openclaw.json', 'oss.yaml', '.oss/manifest.json']) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toContain(bridge);
      expect(text, f).not.toContain(gw);
    }
    const config = JSON.parse(readFileSync(join(dir, 'gateway/config/openclaw.json'), 'utf8'));
    expect(config.gateway.auth.token).toMatchObject({ source: 'file' });
    expect(config.channels.telegram).toMatchObject({ enabled: false, dmPolicy: 'allowlist', allowFrom: ['123456789'] });
  });

  it('records the operator settings given on the command line in oss.yaml', () => {
    const yaml = readFileSync(join(dir, 'oss.yaml'), 'utf8');
    expect(yaml).toMatch(/operatorIds:\n\s+- "?123456789"?/);
  });

  it('renders a stack that passes every static check (runtime-state checks skip until OpenClaw runs)', async () => {
    const r = await runOss(['verify', '--dir', dir, '--static', '--json']);
    expect(r.code, r.stdout.slice(0, 2000)).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary.fail).toBe(0);
    expect(report.summary.error).toBe(0);
    expect(report.summary.pass).toBeGreaterThan(40);
    const skipped = report.results.filter((x: { status: string }) => x.status === 'skip');
    for (const id of ['10.21', '10.22']) {
      expect(skipped.find((x: { id: string }) => x.id === id)?.reason).toMatch(/has not started/);
    }
  });

  it('is idempotent: a rerun changes nothing, byte for byte, and says so', async () => {
    const before = snapshot(dir);
    const again = await runOss(['init', '--dir', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to do/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('keeps an edited file and shows the difference; --force overwrites it; secrets stay', async () => {
    const d = freshDir();
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    const tokens = SECRETS.map((s) => readFileSync(join(d, 'secrets', s), 'utf8'));
    const preamble = join(d, 'codex-worker/preamble.md');
    const original = readFileSync(preamble, 'utf8');
    writeFileSync(preamble, `${original}Always answer in French.\n`);
    const kept = await runOss(['init', '--dir', d]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('kept your edit of codex-worker/preamble.md');
    expect(kept.stdout).toContain('-Always answer in French.');
    expect(readFileSync(preamble, 'utf8')).toContain('French');
    const forced = await runOss(['init', '--dir', d, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('overwrote codex-worker/preamble.md');
    expect(readFileSync(preamble, 'utf8')).toBe(original);
    expect(SECRETS.map((s) => readFileSync(join(d, 'secrets', s), 'utf8'))).toEqual(tokens);
  });

  it('re-renders an unedited file when a setting changes, keeping the manifest in step', async () => {
    const d = freshDir();
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    const r = await runOss(['init', '--dir', d, '--port', '9090']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated docker-compose.yml');
    expect(readFileSync(join(d, 'docker-compose.yml'), 'utf8')).toContain('127.0.0.1:9090:18789');
    expect((await runOss(['init', '--dir', d])).stdout).toMatch(/nothing to do/);
  });

  it('--dry-run writes nothing and lists what would change', async () => {
    const d = freshDir();
    const r = await runOss(['init', '--dir', d, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would create docker-compose.yml');
    expect(r.stdout).toContain('would create secret bridge_token');
    expect(existsSync(d)).toBe(false);
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    const before = snapshot(d);
    const r2 = await runOss(['init', '--dir', d, '--port', '9191', '--dry-run']);
    expect(r2.stdout).toContain('would update docker-compose.yml');
    expect(snapshot(d)).toEqual(before);
  });

  it('--json reports the plan', async () => {
    const d = freshDir();
    const r = await runOss(['init', '--dir', d, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    expect(j.changed).toBe(true);
    expect(j.files.find((f: { path: string }) => f.path === 'docker-compose.yml').action).toBe('create');
    expect(j.secrets).toHaveLength(6);
    const again = JSON.parse((await runOss(['init', '--dir', d, '--json'])).stdout);
    expect(again.changed).toBe(false);
  });
});

describe('oss init refuses bad input with exit 2 and changes nothing', () => {
  async function refused(args: string[], d: string, pattern: RegExp) {
    const before = snapshot(d);
    const r = await runOss(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(snapshot(d)).toEqual(before);
    return r;
  }

  it('a non-numeric Telegram id', async () => {
    const d = freshDir();
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    const r = await refused(['init', '--dir', d, '--telegram-id', '12ab'], d, /telegram\.operatorIds\.0: "12ab"/);
    expect(r.stderr).toMatch(/numeric Telegram user id/);
    await refused(['init', '--dir', freshDir(), '--telegram-id', '@operator'], root, /numeric Telegram user id/);
  });

  it('DIR is a file', async () => {
    const f = join(root, `file-${++n}`);
    writeFileSync(f, 'not a dir');
    await refused(['init', '--dir', f], root, /exists and is not a directory/);
    expect(readFileSync(f, 'utf8')).toBe('not a dir');
  });

  it('an unwritable DIR', async () => {
    const d = freshDir();
    mkdirSync(d);
    // root ignores mode bits, so make the directory immutable instead
    const immutable = spawnSync('chattr', ['+i', d]).status === 0;
    if (!immutable) chmodSync(d, 0o555);
    try {
      await refused(['init', '--dir', d], d, /cannot write to/);
    } finally {
      spawnSync('chattr', ['-i', d]);
    }
  });

  it('a symlink where a secret file should be', async () => {
    const d = freshDir();
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    const target = join(root, `elsewhere-${n}`);
    writeFileSync(target, 'attacker-controlled');
    rmSync(join(d, 'secrets/gateway_token'));
    symlinkSync(target, join(d, 'secrets/gateway_token'));
    await refused(['init', '--dir', d], d, /secrets\/gateway_token is a symlink/);
    expect(readFileSync(target, 'utf8')).toBe('attacker-controlled');
  });

  it('a hard link on a secret file, or a symlinked secrets directory', async () => {
    const d = freshDir();
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    linkSync(join(d, 'secrets/bridge_token'), join(root, `stolen-${n}`));
    await refused(['init', '--dir', d], d, /hard links/);
    const d2 = freshDir();
    mkdirSync(d2);
    const real = join(root, `real-secrets-${n}`);
    mkdirSync(real);
    symlinkSync(real, join(d2, 'secrets'));
    await refused(['init', '--dir', d2], d2, /secrets is a symlink/);
    expect(readdirSync(real)).toEqual([]);
  });

  it('a symlink where a rendered file should be', async () => {
    const d = freshDir();
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    rmSync(join(d, 'docker-compose.yml'));
    symlinkSync('/etc/hostname', join(d, 'docker-compose.yml'));
    await refused(['init', '--dir', d, '--force'], d, /docker-compose\.yml is a symlink/);
  });

  it('an unknown option', async () => {
    const r = await runOss(['init', '--dir', freshDir(), '--telegram', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--telegram'/);
  });

  it('an unknown settings key or invalid YAML in oss.yaml', async () => {
    const d = freshDir();
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    writeFileSync(join(d, 'oss.yaml'), `${readFileSync(join(d, 'oss.yaml'), 'utf8')}colour: blue\n`);
    const r = await refused(['init', '--dir', d], d, /colour: unknown key/);
    expect(r.stderr).toMatch(/hint: fix .*oss\.yaml/);
    writeFileSync(join(d, 'oss.yaml'), 'gateway: [unclosed\n');
    await refused(['init', '--dir', d], d, /not valid YAML/);
  });

  it('a bad port', async () => {
    await refused(['init', '--dir', freshDir(), '--port', '0x50'], root, /--port "0x50" is not a TCP port/);
  });
});

describe('the rendered compose file', () => {
  it('is accepted by docker compose config', async () => {
    const hasCompose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
    if (!hasCompose) {
      if (process.env.CI) throw new Error('docker compose is missing; scripts/setup-docker.sh installs it');
      console.warn('skipping: docker compose not installed here');
      return;
    }
    const d = freshDir();
    expect((await runOss(['init', '--dir', d])).code).toBe(0);
    const out = execFileSync('docker', ['compose', '-f', join(d, 'docker-compose.yml'), 'config', '--format', 'json'], { encoding: 'utf8' });
    const cfg = JSON.parse(out);
    expect(Object.keys(cfg.services).sort()).toEqual(['bridge', 'codex-worker', 'db-query-runner', 'deploy-runner', 'gateway', 'socket-proxy']);
    expect(cfg.services.gateway.ports[0]).toMatchObject({ host_ip: '127.0.0.1', published: '8080', target: 18789 });
    expect(cfg.networks.internal.internal).toBe(true);
    for (const s of Object.values(cfg.services) as Record<string, unknown>[]) {
      expect(s.cap_drop).toEqual(['ALL']);
      expect(s.read_only).toBe(true);
    }
  });
});
