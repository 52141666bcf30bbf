// The report for people: one block per control, one line per check, evidence below
// failures. Colour only when the caller says so (TTY and no NO_COLOR).
import type { Painter } from '../../ui/output';
import type { CheckResult, VerifyReport } from '../engine';
import { controlTitle } from '../controls';

const MARK: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERR ', waived: 'WAIV' };

function paintStatus(r: CheckResult, p: Painter): string {
  const m = MARK[r.status];
  if (r.status === 'pass') return p.green(m);
  if (r.status === 'fail' || r.status === 'error') return r.failsRun ? p.red(m) : p.yellow(m);
  return p.yellow(m);
}

function where(e: CheckResult['evidence'][number]): string {
  const loc = [e.file, e.line].filter((x) => x !== undefined).join(':');
  return [loc, e.path].filter(Boolean).join(' ');
}

export function renderTable(report: VerifyReport, p: Painter): string {
  const lines: string[] = [];
  const controls = [...new Set(report.results.map((r) => r.control))];
  for (const c of controls) {
    lines.push(p.bold(`${/^\d+$/.test(c) ? `Control ${c}` : c === 'C' ? 'Compose' : 'Secrets'}: ${controlTitle(c)}`));
    for (const r of report.results.filter((x) => x.control === c)) {
      lines.push(`  ${paintStatus(r, p)}  ${r.id.padEnd(5)} ${r.title} ${p.dim(`[${r.severity}]`)}`);
      if (r.status === 'skip' || (r.status === 'error' && r.evidence.length === 0)) lines.push(`          ${p.dim(r.reason ?? '')}`);
      if (r.status === 'fail' || r.status === 'error' || r.status === 'waived') {
        for (const e of r.evidence) {
          const w = where(e);
          lines.push(`          - ${e.message}${w ? p.dim(` (${w})`) : ''}`);
          if (e.found !== undefined || e.expected !== undefined) lines.push(`            ${p.dim(`found: ${e.found ?? '-'}; expected: ${e.expected ?? '-'}`)}`);
        }
        if (r.waiver) lines.push(`          ${p.dim(`waiver: ${r.waiver.reason} (expires ${r.waiver.expires}${r.waiver.expired ? ', EXPIRED' : ''})`)}`);
        if (r.status !== 'waived') lines.push(`          ${p.dim(`fix: ${r.remediation}`)}`);
      }
    }
    lines.push('');
  }
  const s = report.summary;
  const verdict = report.exitCode === 0 ? p.green('OK') : p.red('FAILED');
  lines.push(`${verdict}: ${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.waived} waived, ${s.skip} skipped (${s.total} checks, ${report.durationMs} ms, fail-on ${report.failOn})`);
  return `${lines.join('\n')}\n`;
}
