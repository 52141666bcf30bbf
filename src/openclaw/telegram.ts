// `oss telegram enable`: the original's operating procedure says the Telegram channel is
// configured first and enabled last, only once everything else is hardened. So: run the
// checks, refuse with the failing ones, else flip channels.telegram.enabled and read back.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checks } from '../../checks/index';
import { OssError } from '../errors';
import type { Settings } from '../stack/settings';
import { runChecks } from '../verify/engine';
import { getPath, listBackups, readConfigFile } from './state';
import type { OpenClawTarget } from './target';

/** with --local only the checks about the OpenClaw home apply (the stack's files are not its files) */
export const LOCAL_TELEGRAM_GATE = ['7.21', '10.21', '10.22', '10.23', '10.24', '10.25'];

export interface TelegramReport {
  target: string;
  enabled: boolean;
  changed: boolean;
  /** checks that failed and blocked enabling */
  failing: { id: string; title: string; evidence: string[] }[];
  checksRun: number;
  restart: string | null;
  ms: number;
}

function tokenFileReady(target: OpenClawTarget): boolean {
  try {
    return readFileSync(target.telegramTokenFile.hostPath, 'utf8').trim().length > 0;
  } catch {
    return false;
  }
}

export async function enableTelegram(dir: string, target: OpenClawTarget, settings: Settings): Promise<TelegramReport> {
  const t0 = Date.now();
  if (settings.telegram.operatorIds.length === 0) {
    throw new OssError('no Telegram operator id is configured, so nobody could be allowlisted', {
      hint: 'add telegram.operatorIds to oss.yaml (or `oss init --telegram-id <id>`), run `oss harden`, then enable',
    });
  }
  if (!tokenFileReady(target)) {
    throw new OssError(`the Telegram bot token file ${target.telegramTokenFile.hostPath} is missing or empty`, {
      hint: target.kind === 'container' ? 'store the token with `oss set-key telegram` (from stdin or $TELEGRAM_BOT_TOKEN)' : `write the token to ${target.telegramTokenFile.hostPath} (mode 0600)`,
    });
  }
  const mode = { static: false, deep: false, redteam: false, local: target.kind === 'local', openclawHome: target.kind === 'local' ? target.stateDir : undefined };
  const { report } = await runChecks({ dir, mode, checks, only: target.kind === 'local' ? LOCAL_TELEGRAM_GATE : [] });
  const failing = report.results
    .filter((r) => r.failsRun)
    .map((r) => ({ id: r.id, title: r.title, evidence: r.evidence.map((e) => [e.path, e.message].filter(Boolean).join(': ')) }));
  const base = { target: target.label, failing, checksRun: report.results.length, restart: null as string | null };
  if (failing.length > 0) return { ...base, enabled: false, changed: false, ms: Date.now() - t0 };

  if (getPath(readConfigFile(target.stateDir), 'channels.telegram.enabled') === true) {
    return { ...base, enabled: true, changed: false, ms: Date.now() - t0 };
  }
  const r = await target.run(['config', 'patch', '--stdin'], { input: JSON.stringify({ channels: { telegram: { enabled: true } } }) });
  if (r.code !== 0) {
    throw new OssError(`\`openclaw config patch\` failed (exit ${r.code}): ${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-4).join(' ')}`, { exitCode: 1 });
  }
  for (const f of listBackups(target.stateDir)) rmSync(join(target.stateDir, f), { force: true });
  if (getPath(readConfigFile(target.stateDir), 'channels.telegram.enabled') !== true) {
    throw new OssError('channels.telegram.enabled did not read back as true', { hint: 'inspect openclaw.json; OpenClaw may have rejected the value', exitCode: 1 });
  }
  const restart = target.kind === 'container' ? await target.restartGateway() : null;
  return { ...base, restart, enabled: true, changed: true, ms: Date.now() - t0 };
}
