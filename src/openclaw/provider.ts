// Live views of OpenClaw for `oss verify`, registered with the engine's provider registry:
//   openclaw-state  openclaw.json + the approvals row of the state DB + backup copies, read
//                   directly (milliseconds); checks 7.2x/10.2x use it with needs ['files']
//   openclaw        the CLI's own view (effective exec policy, security audit): --deep
//   redteam         real agent turns against the mock model: --redteam
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { skip, type CheckContext, type CheckOutcome } from '../verify/check';
import { ProviderUnavailable, registerProvider, type ProviderContext } from '../verify/providers';
import { desiredState, type DesiredState } from './desired';
import { STATE_DB, listBackups, readApprovalsState, readConfigFile, configPath, type ApprovalsFile, type Json } from './state';
import { containerTarget, localTarget, parseCliJson, type OpenClawTarget } from './target';

export interface OpenClawStateView {
  target: OpenClawTarget;
  /** where evidence points: the config file relative to the stack dir, or its absolute path (--local) */
  configFile: string;
  config: Json;
  approvals: { exists: boolean; neverStarted?: boolean; file: ApprovalsFile };
  backups: string[];
  /** the hardened state for this target, from the model */
  desired: DesiredState;
}

export interface AuditFinding {
  checkId: string;
  severity: 'critical' | 'warn' | 'info' | string;
  title?: string;
  detail?: string;
}

export interface OpenClawCliView {
  execPolicy: { effectivePolicy?: { scopes?: unknown[] } };
  audit: { summary?: { critical?: number; warn?: number; info?: number }; findings?: AuditFinding[] };
  ms: number;
}

export function targetFor(ctx: ProviderContext): OpenClawTarget {
  if (ctx.mode.local) return localTarget(ctx.mode.openclawHome ?? join(process.env.HOME ?? '.', '.openclaw'));
  return containerTarget(ctx.dir);
}

export async function openclawStateView(ctx: ProviderContext): Promise<OpenClawStateView> {
  const target = targetFor(ctx);
  if (!existsSync(configPath(target.stateDir))) throw new ProviderUnavailable(`no openclaw.json in ${target.stateDir}`);
  const config = readConfigFile(target.stateDir);
  const approvals = existsSync(join(target.stateDir, STATE_DB))
    ? await readApprovalsState(target.stateDir)
    : { exists: false, neverStarted: true, file: { version: 1, defaults: {}, agents: {} } };
  const telegramOn = (config.channels as Json | undefined)?.telegram && ((config.channels as Json).telegram as Json).enabled === true;
  return {
    target,
    configFile: target.kind === 'local' ? configPath(target.stateDir) : 'gateway/config/openclaw.json',
    config,
    approvals,
    backups: listBackups(target.stateDir),
    desired: desiredState(target, ctx.settings, Boolean(telegramOn)),
  };
}

export async function openclawCliView(ctx: ProviderContext): Promise<OpenClawCliView> {
  if (!ctx.mode.deep) throw new ProviderUnavailable("the openclaw CLI's own view is slow (3-12 s a call); run with --deep");
  const target = targetFor(ctx);
  const t0 = Date.now();
  const [ep, audit] = await Promise.all([target.run(['exec-policy', 'show', '--json']), target.run(['security', 'audit', '--json'])]);
  if (ep.code !== 0) throw new Error(`openclaw exec-policy show failed (exit ${ep.code}): ${ep.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return {
    execPolicy: parseCliJson(ep.stdout, 'exec-policy show --json'),
    audit: parseCliJson(audit.stdout, 'security audit --json'),
    ms: Date.now() - t0,
  };
}

/** the state view for a check, or the skip outcome explaining why there is none */
export async function stateForCheck(ctx: CheckContext): Promise<OpenClawStateView | CheckOutcome> {
  const get = ctx.live['openclaw-state'];
  if (!get) return { status: 'skip', evidence: [], reason: 'no openclaw-state provider in this build' };
  try {
    return (await get()) as OpenClawStateView;
  } catch (err) {
    return { status: 'skip', evidence: [], reason: `OpenClaw state unavailable: ${(err as Error).message}` };
  }
}

export function isOutcome(v: unknown): v is CheckOutcome {
  return typeof v === 'object' && v !== null && 'status' in v && 'evidence' in v;
}

let registered = false;
/** register the providers once (checks/index.ts calls this) */
export function registerOpenclawProviders(): void {
  if (registered) return;
  registered = true;
  registerProvider('openclaw-state', openclawStateView);
  registerProvider('openclaw', openclawCliView);
  registerProvider('redteam', async (ctx) => {
    const { redteamProvider } = await import('./redteam/provider');
    return redteamProvider(ctx, targetFor(ctx));
  });
}

/**
 * The state view for checks of the approvals store: a gateway that never started has no
 * approvals state yet, so those checks are skipped (never passed) until it exists.
 */
export async function approvalsStateForCheck(ctx: CheckContext): Promise<OpenClawStateView | CheckOutcome> {
  const view = await stateForCheck(ctx);
  if (isOutcome(view) || !view.approvals.neverStarted) return view;
  return skip(`OpenClaw has not started on this config dir yet (no ${STATE_DB}): run \`oss up\`, then \`oss harden\``);
}
