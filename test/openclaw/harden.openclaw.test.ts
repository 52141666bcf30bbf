// `oss harden`, the live checks, `oss telegram enable` and the red-team run against the
// REAL openclaw CLI (Node 24, installed by scripts/setup-openclaw.sh). Two fresh homes:
// A is hardened, tampered with and repaired; B stays as onboarded (OpenClaw defaults).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOss, type OssResult } from '../helpers/run-oss';
import { deniedTools, execAllowlist, execPolicy, routes, toolsPolicy } from '../../src/stack/model';
import { haveOpenclaw, openclawPath } from './openclaw-env';

const pexec = promisify(execFile);
const OPERATOR = '123456789';
const GW_TOKEN_ENV = 'OPENCLAW_GATEWAY_TOKEN';
const timings: Record<string, number> = {};

let work: string;
let stack: string;
let homeA: string;
let homeB: string;
let env: NodeJS.ProcessEnv;

function ocEnv(home: string): NodeJS.ProcessEnv {
  return { ...env, OPENCLAW_STATE_DIR: home, OPENCLAW_CONFIG_PATH: join(home, 'openclaw.json') };
}

async function openclaw(home: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = pexec('openclaw', args, { env: ocEnv(home), maxBuffer: 64 << 20, timeout: 240_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  } else child.child.stdin?.end();
  try {
    const r = await child;
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const json = <T = any>(s: string): T => JSON.parse(s.slice(s.indexOf('{'))) as T;

async function onboard(parent: string): Promise<string> {
  mkdirSync(parent, { recursive: true });
  const state = join(parent, '.openclaw');
  const r = await openclaw(state, [
    'onboard', '--non-interactive', '--accept-risk', '--mode', 'local', '--flow', 'quickstart',
    '--auth-choice', 'custom-api-key', '--custom-base-url', 'http://127.0.0.1:9/v1', '--custom-model-id', 'mock-model',
    '--custom-compatibility', 'openai', '--custom-provider-id', 'mock', '--secret-input-mode', 'ref',
    '--gateway-auth', 'token', '--gateway-token-ref-env', GW_TOKEN_ENV, '--gateway-bind', 'loopback', '--gateway-port', '18789',
    '--no-install-daemon', '--skip-channels', '--skip-health', '--skip-search', '--skip-skills', '--skip-ui', '--skip-hooks', '--json',
  ]);
  if (r.code !== 0) throw new Error(`onboard failed: ${r.stderr.slice(-800)}`);
  return state;
}

async function oss(args: string[], label?: string): Promise<OssResult> {
  const t0 = Date.now();
  const r = await runOss(args, { env, timeoutMs: 420_000 });
  if (label) timings[label] = Date.now() - t0;
  return r;
}

const harden = (home: string, ...extra: string[]) => oss(['harden', '--local', '--openclaw-home', home, '--dir', stack, '--json', ...extra]);
const LIVE = '7.21,10.21,10.22,10.23,10.24,10.25';
async function verify(home: string, only: string, ...extra: string[]) {
  const r = await oss(['verify', '--local', '--openclaw-home', home, '--dir', stack, '--only', only, '--json', ...extra]);
  const report = json<{ results: { id: string; status: string; evidence: { path?: string; found?: string; message: string }[]; reason?: string }[] }>(r.stdout);
  const by = Object.fromEntries(report.results.map((x) => [x.id, x]));
  return { r, by, failed: report.results.filter((x) => x.status === 'fail').map((x) => x.id).sort() };
}

const backups = (home: string) => readdirSync(home).filter((f) => f.startsWith('openclaw.json.'));

describe.runIf(haveOpenclaw)('oss harden against the real openclaw CLI', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'oss-harden-'));
    stack = join(work, 'stack');
    mkdirSync(stack);
    writeFileSync(join(stack, 'oss.yaml'), `version: 1\ntelegram:\n  operatorIds: ["${OPERATOR}"]\n`);
    env = { ...process.env, PATH: openclawPath(), NO_COLOR: '1', [GW_TOKEN_ENV]: `gw-${'ab'.repeat(24)}`, CUSTOM_API_KEY: 'mock-key' };
    delete env.OPENCLAW_STATE_DIR;
    delete env.OPENCLAW_CONFIG_PATH;
    // openclaw prints nothing on stdout under VITEST (its own test mode); oss scrubs it too
    for (const k of Object.keys(env)) if (k === 'VITEST' || k.startsWith('VITEST_')) delete env[k];
    const t0 = Date.now();
    [homeA, homeB] = await Promise.all([onboard(join(work, 'a')), onboard(join(work, 'b'))]);
    timings.onboardBoth = Date.now() - t0;
  }, 240_000);

  afterAll(() => {
    console.log(`openclaw timings (ms): ${JSON.stringify(timings)}`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('dry run prints the plan and changes nothing', async () => {
    const before = readFileSync(join(homeB, 'openclaw.json'), 'utf8');
    const r = await harden(homeB, '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    const rep = json(r.stdout);
    expect(rep.dryRun).toBe(true);
    expect(rep.plan.config.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['config:tools.profile', 'config:tools.deny', 'config:gateway.auth.token.source']));
    expect(rep.plan.approvals.length).toBeGreaterThan(0);
    expect(readFileSync(join(homeB, 'openclaw.json'), 'utf8')).toBe(before);
    expect(existsSync(join(homeB, 'secrets'))).toBe(false);
  });

  it('hardens a fresh home in one command and reads every field back', async () => {
    const r = await oss(['harden', '--local', '--openclaw-home', homeA, '--dir', stack, '--json'], 'hardenFresh');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rep = json(r.stdout);
    expect(rep.changed).toBe(true);
    expect(rep.readBack.ok).toBe(true);
    expect(rep.readBack.differences).toEqual([]);
    expect(rep.steps.map((s: { step: string }) => s.step)).toEqual(['generate gateway token file', 'config patch', 'approvals set']);
    expect(backups(homeA)).toEqual([]);
    const tokenFile = join(homeA, 'secrets', 'gateway_token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    // the token never appears in openclaw.json or in oss's output
    const token = readFileSync(tokenFile, 'utf8');
    expect(readFileSync(join(homeA, 'openclaw.json'), 'utf8')).not.toContain(token);
    expect(r.stdout + r.stderr).not.toContain(token);
  });

  it('OpenClaw itself (not oss) reports the hardened state', async () => {
    const [ag, ep, deny, also, allow] = await Promise.all([
      openclaw(homeA, ['approvals', 'get', '--json']),
      openclaw(homeA, ['exec-policy', 'show', '--json']),
      openclaw(homeA, ['config', 'get', 'tools.deny', '--json']),
      openclaw(homeA, ['config', 'get', 'tools.alsoAllow', '--json']),
      openclaw(homeA, ['config', 'get', 'tools.allow', '--json']),
    ]);
    const file = json(ag.stdout).file;
    expect(file.defaults).toMatchObject({ security: execPolicy.security, ask: execPolicy.ask, askFallback: execPolicy.askFallback });
    expect(Object.keys(file.agents)).toEqual(['main']);
    const patterns = file.agents.main.allowlist.map((e: { pattern: string }) => e.pattern.replace(homeA, '/home/node/.openclaw')).sort();
    expect(patterns).toEqual([...execAllowlist()].sort());
    expect(file.agents.main.allowlist).toHaveLength(routes.length);
    const deploy = file.agents.main.allowlist.find((e: { pattern: string }) => e.pattern.endsWith('/deploy-staging.sh'));
    expect(deploy.argPattern).toBe('^$');
    for (const s of json(ep.stdout).effectivePolicy.scopes) {
      expect([s.security.effective, s.ask.effective, s.askFallback.effective]).toEqual([execPolicy.security, execPolicy.ask, execPolicy.askFallback]);
    }
    expect([...JSON.parse(deny.stdout)].sort()).toEqual([...deniedTools].sort());
    expect(JSON.parse(also.stdout)).toEqual([...toolsPolicy.alsoAllow]);
    expect(allow.code).not.toBe(0); // unset: `allow` would leave the agent no tool at all
  });

  it('a rerun reports no change and writes nothing (no new .bak)', async () => {
    const cfg = join(homeA, 'openclaw.json');
    const before = { text: readFileSync(cfg, 'utf8'), mtime: statSync(cfg).mtimeMs };
    const r = await oss(['harden', '--local', '--openclaw-home', homeA, '--dir', stack, '--json'], 'hardenNoop');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rep = json(r.stdout);
    expect(rep.changed).toBe(false);
    expect(rep.steps).toEqual([]);
    expect(rep.plan.config).toEqual([]);
    expect(rep.plan.approvals).toEqual([]);
    expect(rep.readBack.ok).toBe(true);
    expect(readFileSync(cfg, 'utf8')).toBe(before.text);
    expect(statSync(cfg).mtimeMs).toBe(before.mtime);
    expect(backups(homeA)).toEqual([]);
  });

  it('verify passes the live checks in milliseconds; --deep adds OpenClaw\'s own view', async () => {
    const fast = await oss(['verify', '--local', '--openclaw-home', homeA, '--dir', stack, '--only', LIVE, '--json'], 'verifyFast');
    const fastRep = json(fast.stdout);
    for (const id of LIVE.split(',')) expect(fastRep.results.find((x: { id: string }) => x.id === id)?.status, id).toBe('pass');
    const deep = await oss(['verify', '--local', '--openclaw-home', homeA, '--dir', stack, '--only', `${LIVE},10.26,10.27`, '--deep', '--json'], 'verifyDeep');
    const deepRep = json(deep.stdout);
    expect(deep.code, deep.stdout).toBe(0);
    for (const id of ['10.26', '10.27']) expect(deepRep.results.find((x: { id: string }) => x.id === id)?.status, id).toBe('pass');
    // without --deep the CLI checks are skipped, never passed
    const skipped = await verify(homeA, '10.26,10.27');
    expect(skipped.by['10.26']?.status).toBe('skip');
    expect(skipped.by['10.27']?.status).toBe('skip');
  }, 240_000);

  it('red team: fails against the onboarded defaults, passes against the hardened home', async () => {
    const t0 = Date.now();
    const [base, hard] = await Promise.all([
      verify(homeB, '10.28', '--redteam'),
      verify(homeA, '10.28', '--redteam'),
    ]);
    timings.redteamBoth = Date.now() - t0;
    const b = base.by['10.28']!;
    const h = hard.by['10.28']!;
    expect(h.status, JSON.stringify(h)).toBe('pass');
    expect(hard.r.code).toBe(0);
    expect(b.status, JSON.stringify(b)).toBe('fail');
    expect(base.r.code).toBe(1);
    const leakedProbes = b.evidence.map((e) => e.path);
    expect(leakedProbes).toEqual(expect.arrayContaining(['probe read-config', 'probe exec-passwd', 'probe exec-sha256', 'probe write-file']));
    // the red team cleans up after itself
    expect(existsSync(join(homeA, 'deploy-staging.sh'))).toBe(false);
    expect(existsSync(join(homeB, 'oss-redteam-probe.txt'))).toBe(false);
  }, 420_000);

  it('tampering is caught by the right checks, telegram enable refuses, and harden repairs it', async () => {
    // tamper with OpenClaw's own CLI: the config store and the approvals store in parallel
    const tg = JSON.stringify({ channels: { telegram: { enabled: true, dmPolicy: 'open', allowFrom: ['*'] } }, tools: { deny: deniedTools.filter((t) => t !== 'read') } });
    const [add, patch] = await Promise.all([
      openclaw(homeA, ['approvals', 'allowlist', 'add', '--agent', 'main', '/bin/sh']),
      openclaw(homeA, ['config', 'patch', '--stdin'], tg),
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(patch.code, patch.stderr + patch.stdout).toBe(0);
    const full = await openclaw(homeA, ['exec-policy', 'set', '--host', 'gateway', '--security', 'full', '--ask', 'off', '--ask-fallback', 'full', '--json']);
    expect(full.code, full.stderr).toBe(0);

    const v = await verify(homeA, LIVE);
    expect(v.r.code).toBe(1);
    expect(v.failed).toEqual(expect.arrayContaining(['7.21', '10.21', '10.22', '10.23']));
    expect(v.by['10.24']?.status).toBe('pass');
    expect(JSON.stringify(v.by['10.22']!.evidence)).toContain('/bin/sh');
    expect(JSON.stringify(v.by['10.21']!.evidence)).toContain('full');
    expect(JSON.stringify(v.by['10.23']!.evidence)).toContain('tools.deny');
    expect(JSON.stringify(v.by['7.21']!.evidence)).toMatch(/dmPolicy/);

    writeFileSync(join(homeA, 'secrets', 'telegram_bot_token'), '123456:test-bot-token', { mode: 0o600 });
    const refused = await oss(['telegram', 'enable', '--local', '--openclaw-home', homeA, '--dir', stack]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refused/);
    expect(refused.stdout).toMatch(/10\.22/);

    const repair = await oss(['harden', '--local', '--openclaw-home', homeA, '--dir', stack, '--json'], 'hardenRepair');
    expect(repair.code, repair.stdout + repair.stderr).toBe(0);
    const rep = json(repair.stdout);
    expect(rep.changed).toBe(true);
    expect(rep.readBack.ok).toBe(true);
    const cfg = json(readFileSync(join(homeA, 'openclaw.json'), 'utf8'));
    // enabled while misconfigured: harden switches it off
    expect(cfg.channels.telegram).toMatchObject({ enabled: false, dmPolicy: 'allowlist', allowFrom: [OPERATOR] });
    expect(backups(homeA)).toEqual([]);
    const after = await verify(homeA, LIVE);
    expect(after.failed).toEqual([]);
    expect(after.r.code).toBe(0);
  }, 360_000);

  it('telegram enable flips the switch once every check passes, and harden keeps it', async () => {
    const r = await oss(['telegram', 'enable', '--local', '--openclaw-home', homeA, '--dir', stack, '--json'], 'telegramEnable');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ enabled: true, changed: true, failing: [] });
    expect(json(readFileSync(join(homeA, 'openclaw.json'), 'utf8')).channels.telegram.enabled).toBe(true);
    expect(backups(homeA)).toEqual([]);
    // the plan (no CLI call) shows harden would leave the correctly configured, enabled channel alone
    const again = await harden(homeA, '--dry-run');
    expect(again.code, again.stdout).toBe(0);
    expect(json(again.stdout).plan).toMatchObject({ config: [], approvals: [], backups: [], telegramEnabled: true });
    expect(json(readFileSync(join(homeA, 'openclaw.json'), 'utf8')).channels.telegram.enabled).toBe(true);
  }, 240_000);
});
