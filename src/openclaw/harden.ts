// `oss harden`: plan (current vs model), apply with few CLI calls, delete the config
// backups, restart only when needed, then read everything back and compare field by field.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OssError } from '../errors';
import { writeFileAtomic } from '../secrets/atomic-write';
import { GENERATED_TOKEN_BYTES, SECRET_FILE_MODE, SECRETS_DIR_MODE, services } from '../stack/model';
import type { Settings } from '../stack/settings';
import { diffApprovals, diffConfig, diffEffectivePolicy, telegramConfigured, toolOverridePaths, type Difference } from './compare';
import { desiredState, desiredTelegram, REPLACE_PATHS, type DesiredState } from './desired';
import { getPath, listBackups, plaintextSecretPaths, readApprovalsState, readConfigFile, type Json } from './state';
import { parseCliJson, type OpenClawTarget } from './target';

export interface HardenPlan {
  config: Difference[];
  approvals: Difference[];
  backups: string[];
  /** the gateway token file: present, or generated on apply (local mode only) */
  gatewayTokenFile: 'present' | 'generate';
  /** whether the gateway must restart to pick the change up */
  restart: boolean;
  /** Telegram stays enabled only when it was enabled and configured exactly */
  telegramEnabled: boolean;
}

export interface ReadBack {
  ok: boolean;
  differences: Difference[];
  /** fields compared (store:path), for the report */
  compared: number;
  /** config paths still holding a plaintext secret (names only) */
  plaintextSecrets: string[];
  ms: number;
}

export interface HardenReport {
  target: string;
  kind: OpenClawTarget['kind'];
  dryRun: boolean;
  changed: boolean;
  plan: HardenPlan;
  steps: { step: string; ms: number }[];
  restart: string | null;
  removedBackups: string[];
  readBack: ReadBack | null;
  ms: number;
}

/** config paths whose change needs a gateway restart (auth, bind, port, secret providers) */
const RESTART_PREFIXES = ['config:gateway.auth', 'config:gateway.bind', 'config:gateway.port', 'config:gateway.mode', 'config:secrets.'];

export async function planHarden(target: OpenClawTarget, settings: Settings): Promise<{ plan: HardenPlan; desired: DesiredState }> {
  const cfg = readConfigFile(target.stateDir);
  const approvals = await readApprovalsState(target.stateDir);
  const wasEnabled = getPath(cfg, 'channels.telegram.enabled') === true;
  const telegramEnabled = wasEnabled && telegramConfigured(cfg, desiredTelegram(target, settings, true) as Json);
  const desired = desiredState(target, settings, telegramEnabled);
  const config = diffConfig(cfg, desired);
  const approvalsDiff = diffApprovals(approvals.file, desired.approvals, true);
  if (!approvals.exists && approvalsDiff.length === 0) approvalsDiff.push({ field: 'approvals:', expected: 'a stored document', found: '(none)' });
  const tokenPresent = existsSync(target.gatewayTokenFile.hostPath);
  if (!tokenPresent && target.kind === 'container') {
    throw new OssError(`the gateway token file ${target.gatewayTokenFile.hostPath} is missing`, {
      hint: 'run `oss init --dir DIR` (it generates the stack secrets) before `oss harden`',
    });
  }
  return {
    desired,
    plan: {
      config,
      approvals: approvalsDiff,
      backups: listBackups(target.stateDir),
      gatewayTokenFile: tokenPresent ? 'present' : 'generate',
      restart: target.kind === 'container' && config.some((d) => RESTART_PREFIXES.some((p) => d.field.startsWith(p))),
      telegramEnabled,
    },
  };
}

function setPath(obj: Json, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Json;
  cur[keys[keys.length - 1]!] = value;
}

/** the one `config patch` document: exact subtrees, scalars, and null for overrides to delete */
export function configPatch(desired: DesiredState, cfg: Json): Json {
  const patch: Json = {};
  for (const [path, value] of Object.entries(desired.exact)) setPath(patch, path, value);
  for (const path of [...desired.absent, ...toolOverridePaths(cfg)]) setPath(patch, path, null);
  return patch;
}

function ensureTokenFile(target: OpenClawTarget): void {
  const file = target.gatewayTokenFile.hostPath;
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true, mode: SECRETS_DIR_MODE });
  writeFileAtomic(file, randomBytes(GENERATED_TOKEN_BYTES).toString('hex'), { mode: SECRET_FILE_MODE });
}

function removeBackups(target: OpenClawTarget): string[] {
  const found = listBackups(target.stateDir);
  for (const f of found) rmSync(join(target.stateDir, f), { force: true });
  return found;
}

async function cli(target: OpenClawTarget, step: string, args: string[], input?: string) {
  const r = await target.run(args, input === undefined ? {} : { input });
  if (r.code !== 0) {
    const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-6).join('\n');
    throw new OssError(`\`openclaw ${step}\` failed (exit ${r.code}) on ${target.label}:\n${detail}`, {
      hint: 'nothing else was written after this step; fix the cause and run `oss harden` again',
      exitCode: 1,
    });
  }
  return r;
}

/** a read-only CLI query's JSON; one retry when a cold start under load prints no JSON */
async function queryJson<T>(target: OpenClawTarget, args: string[], nonZeroOk = false): Promise<T> {
  const what = args.join(' ');
  for (let attempt = 1; ; attempt++) {
    const r = nonZeroOk ? await target.run(args) : await cli(target, what, args);
    try {
      return parseCliJson<T>(r.stdout, what);
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}

/** read everything back (file + approvals get + exec-policy show + config validate, concurrently) */
export async function readBack(target: OpenClawTarget, desired: DesiredState): Promise<ReadBack> {
  const t0 = Date.now();
  const [approvals, policy, validation] = await Promise.all([
    queryJson<{ file?: Parameters<typeof diffApprovals>[0] }>(target, ['approvals', 'get', '--json']),
    queryJson<Parameters<typeof diffEffectivePolicy>[0]>(target, ['exec-policy', 'show', '--json']),
    queryJson<{ valid?: boolean; issues?: { path?: string; message?: string }[] }>(target, ['config', 'validate', '--json'], true),
  ]);
  const cfg = readConfigFile(target.stateDir);
  const differences: Difference[] = [...diffConfig(cfg, desired)];
  differences.push(...diffApprovals(approvals.file ?? {}, desired.approvals, false));
  differences.push(...diffEffectivePolicy(policy));
  if (validation.valid !== true) {
    const issues = (validation.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ');
    differences.push({ field: 'validate:valid', expected: 'true', found: `false (${issues || 'no detail'})` });
  }
  const backups = listBackups(target.stateDir);
  if (backups.length > 0) differences.push({ field: 'files:backups', expected: '(none)', found: JSON.stringify(backups) });
  if (!existsSync(target.gatewayTokenFile.hostPath)) {
    differences.push({ field: 'files:gateway token', expected: target.gatewayTokenFile.hostPath, found: '(missing)' });
  }
  const compared = Object.keys(desired.exact).length + 4 + 3 + 4 + 2;
  return { ok: differences.length === 0, differences, compared, plaintextSecrets: plaintextSecretPaths(cfg), ms: Date.now() - t0 };
}

async function waitHealthy(container: string, timeoutMs: number): Promise<void> {
  const { execa } = await import('execa');
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const r = await execa('docker', ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}nohealth-{{.State.Status}}{{end}}', container], { reject: false });
    if (r.stdout.trim() === 'healthy' || r.stdout.trim() === 'nohealth-running') return;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

export async function harden(target: OpenClawTarget, settings: Settings, opts: { dryRun?: boolean; onStep?: (s: string) => void } = {}): Promise<HardenReport> {
  const t0 = Date.now();
  const note = opts.onStep ?? (() => {});
  const { plan, desired } = await planHarden(target, settings);
  const report: HardenReport = {
    target: target.label,
    kind: target.kind,
    dryRun: Boolean(opts.dryRun),
    changed: false,
    plan,
    steps: [],
    restart: null,
    removedBackups: [],
    readBack: null,
    ms: 0,
  };
  if (opts.dryRun) {
    report.ms = Date.now() - t0;
    return report;
  }
  const timed = async (step: string, f: () => Promise<unknown>) => {
    note(step);
    const s = Date.now();
    await f();
    report.steps.push({ step, ms: Date.now() - s });
  };
  if (plan.gatewayTokenFile === 'generate') {
    await timed('generate gateway token file', async () => ensureTokenFile(target));
  }
  if (plan.config.length > 0) {
    const patch = configPatch(desired, readConfigFile(target.stateDir));
    const args = ['config', 'patch', '--stdin', ...REPLACE_PATHS.flatMap((p) => ['--replace-path', p])];
    await timed('config patch', () => cli(target, 'config patch', args, JSON.stringify(patch)));
  }
  if (plan.approvals.length > 0) {
    await timed('approvals set', () => cli(target, 'approvals set', ['approvals', 'set', '--stdin', '--json'], JSON.stringify(desired.approvals)));
  }
  report.removedBackups = removeBackups(target);
  if (plan.restart) {
    await timed('restart gateway', async () => {
      report.restart = await target.restartGateway();
      await waitHealthy(target.container ?? services.gateway.containerName, services.gateway.healthStartPeriodSec * 1000);
      // a good start writes openclaw.json.last-good; it holds refs only, but keep none
      report.removedBackups.push(...removeBackups(target));
    });
  }
  // a running gateway may hot-reload and write .last-good meanwhile: sweep once more
  if (plan.config.length > 0) report.removedBackups.push(...removeBackups(target));
  report.changed =
    plan.config.length > 0 || plan.approvals.length > 0 || report.removedBackups.length > 0 || plan.gatewayTokenFile === 'generate';
  note('read back');
  report.readBack = await readBack(target, desired);
  report.ms = Date.now() - t0;
  return report;
}
