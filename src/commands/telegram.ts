// oss telegram enable: parse options, run the gate + flip in src/openclaw/telegram.ts, print.
import { resolve } from 'node:path';
import { ExitCode } from '../errors';
import { resolveTarget } from '../openclaw/target';
import { enableTelegram, type TelegramReport } from '../openclaw/telegram';
import { defaultStackDir } from '../render/init-stack';
import { loadSettings } from '../stack/settings';
import { colorEnabled, painter } from '../ui/output';

interface TelegramOpts {
  dir?: string;
  local?: boolean;
  openclawHome?: string;
  json?: boolean;
}

export function formatTelegram(r: TelegramReport, color = false): string {
  const p = painter(color);
  if (r.failing.length > 0) {
    const lines = [p.red(`refused: Telegram stays disabled; ${r.failing.length} of ${r.checksRun} checks fail on ${r.target}:`)];
    for (const f of r.failing) {
      lines.push(`  ${f.id}  ${f.title}`);
      for (const e of f.evidence.slice(0, 3)) lines.push(`        - ${e}`);
    }
    lines.push('fix them (usually `oss harden`), then run `oss telegram enable` again');
    return `${lines.join('\n')}\n`;
  }
  const head = r.changed ? p.green(`Telegram enabled on ${r.target} (${r.checksRun} checks passed)`) : `Telegram was already enabled on ${r.target}; no change`;
  return `${head}${r.restart ? `\n${r.restart}` : ''}\n`;
}

export async function run(opts: TelegramOpts): Promise<number> {
  const dir = resolve(opts.dir ?? defaultStackDir());
  const target = resolveTarget({ local: opts.local, openclawHome: opts.openclawHome, dir });
  const { settings } = loadSettings(dir);
  const report = await enableTelegram(dir, target, settings);
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatTelegram(report, colorEnabled()));
  return report.enabled ? ExitCode.ok : ExitCode.failed;
}
