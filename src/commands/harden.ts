// oss harden: parse options, run the core in src/openclaw/harden.ts, print.
import { resolve } from 'node:path';
import { ExitCode } from '../errors';
import type { Difference } from '../openclaw/compare';
import { harden, type HardenReport } from '../openclaw/harden';
import { resolveTarget } from '../openclaw/target';
import { defaultStackDir } from '../render/init-stack';
import { loadSettings } from '../stack/settings';
import { colorEnabled, painter, progress } from '../ui/output';

interface HardenOpts {
  dir?: string;
  local?: boolean;
  openclawHome?: string;
  dryRun?: boolean;
  json?: boolean;
  container?: string;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function diffLines(diffs: Difference[]): string[] {
  return diffs.map((d) => `  ${d.field}: ${d.found} -> ${d.expected}`);
}

export function formatReport(r: HardenReport, color = false): string {
  const p = painter(color);
  const out: string[] = [];
  const { plan } = r;
  const todo = plan.config.length + plan.approvals.length + plan.backups.length + (plan.gatewayTokenFile === 'generate' ? 1 : 0);
  out.push(`${p.bold('oss harden')}: ${r.target}${r.dryRun ? ' (dry run)' : ''}`);
  if (todo === 0) {
    out.push('plan: nothing to change; OpenClaw already matches the model');
  } else {
    out.push(`plan: ${plan.config.length} config field(s), ${plan.approvals.length} approvals field(s), ${plan.backups.length} backup file(s) to delete`);
    out.push(...diffLines(plan.config), ...diffLines(plan.approvals));
    if (plan.backups.length) out.push(`  delete: ${plan.backups.join(', ')}`);
    if (plan.gatewayTokenFile === 'generate') out.push('  generate the gateway token file (mode 0600) and reference it from openclaw.json');
    out.push(`  restart gateway: ${plan.restart ? 'yes' : 'no'}`);
  }
  if (r.dryRun) return `${out.join('\n')}\n`;
  if (r.steps.length) out.push(`applied: ${r.steps.map((s) => `${s.step} (${secs(s.ms)})`).join(', ')}`);
  if (r.removedBackups.length) out.push(`removed backups: ${r.removedBackups.join(', ')}`);
  out.push(`restart: ${r.restart ?? 'not needed'}`);
  if (!r.changed) out.push(p.green('no change'));
  const rb = r.readBack;
  if (rb) {
    if (rb.ok) out.push(p.green(`read back: every field matches the model (${secs(rb.ms)})`));
    else {
      out.push(p.red(`read back: ${rb.differences.length} field(s) differ from the model:`));
      out.push(...diffLines(rb.differences));
    }
    if (rb.plaintextSecrets.length) {
      out.push(p.yellow(`warning: plaintext secrets remain in openclaw.json at ${rb.plaintextSecrets.join(', ')}; move them to secret references`));
    }
  }
  out.push(`done in ${secs(r.ms)}`);
  return `${out.join('\n')}\n`;
}

export async function run(opts: HardenOpts): Promise<number> {
  const dir = resolve(opts.dir ?? defaultStackDir());
  const target = resolveTarget({ local: opts.local, openclawHome: opts.openclawHome, dir, container: opts.container });
  const { settings } = loadSettings(dir);
  const prog = opts.json ? null : await progress();
  const report = await harden(target, settings, { dryRun: opts.dryRun, onStep: (s) => prog?.info(s) });
  const ok = report.dryRun || report.readBack?.ok === true;
  if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(formatReport(report, colorEnabled()));
  return ok ? ExitCode.ok : ExitCode.failed;
}
