// --junit FILE: one <testsuite> per control, one <testcase> per check. Failures and
// errors carry the evidence; skipped and waived checks are <skipped> with the reason.
import type { CheckResult, VerifyReport } from '../engine';
import { controlTitle } from '../controls';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function body(r: CheckResult): string {
  const ev = r.evidence.map((e) => `${e.message}${e.file ? ` (${e.file}${e.line ? `:${e.line}` : ''}${e.path ? ` ${e.path}` : ''})` : ''}${e.found !== undefined ? `\n  found: ${e.found}` : ''}${e.expected !== undefined ? `\n  expected: ${e.expected}` : ''}`);
  return [...ev, `fix: ${r.remediation}`].join('\n');
}

export function renderJunit(report: VerifyReport): string {
  const controls = [...new Set(report.results.map((r) => r.control))];
  const count = (rs: CheckResult[], f: (r: CheckResult) => boolean) => rs.filter(f).length;
  const isFailure = (r: CheckResult) => r.status === 'fail';
  const isSkipped = (r: CheckResult) => r.status === 'skip' || r.status === 'waived';
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="oss verify" tests="${report.results.length}" failures="${count(report.results, isFailure)}" errors="${count(report.results, (r) => r.status === 'error')}" skipped="${count(report.results, isSkipped)}" time="${secs(report.durationMs)}" timestamp="${report.startedAt}">`,
  );
  for (const c of controls) {
    const rs = report.results.filter((r) => r.control === c);
    out.push(
      `  <testsuite name="${esc(`control ${c}: ${controlTitle(c)}`)}" tests="${rs.length}" failures="${count(rs, isFailure)}" errors="${count(rs, (r) => r.status === 'error')}" skipped="${count(rs, isSkipped)}" time="${secs(rs.reduce((a, r) => a + r.durationMs, 0))}">`,
    );
    for (const r of rs) {
      const open = `    <testcase classname="oss.verify.${esc(c)}" name="${esc(`${r.id} ${r.title}`)}" time="${secs(r.durationMs)}"`;
      if (r.status === 'pass') {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      if (r.status === 'fail') out.push(`      <failure message="${esc(r.evidence[0]?.message ?? r.title)}" type="${r.severity}">${esc(body(r))}</failure>`);
      else if (r.status === 'error') out.push(`      <error message="${esc(r.reason ?? 'check crashed')}" type="error">${esc(body(r))}</error>`);
      else if (r.status === 'waived') out.push(`      <skipped message="${esc(`waived until ${r.waiver?.expires}: ${r.waiver?.reason}`)}"/>`);
      else out.push(`      <skipped message="${esc(r.reason ?? 'skipped')}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
