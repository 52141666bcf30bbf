import { defineCheck, verdict } from '../../src/verify/check';
import { diffApprovals } from '../../src/openclaw/compare';
import { approvalsStateForCheck, isOutcome } from '../../src/openclaw/provider';
import { STATE_DB } from '../../src/openclaw/state';
import { execPolicy } from '../../src/stack/model';

export default defineCheck({
  id: '10.21',
  control: 10,
  title: 'Exec approvals (state DB): security allowlist, ask on-miss, askFallback deny',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'OpenClaw defaults to full exec. The approvals store is the host half of the exec policy; the effective policy is the stricter of it and tools.exec, so both halves must say allowlist, and a headless turn that would need a prompt must be denied.',
  remediation: `Run \`oss harden\` (approvals defaults {security: "${execPolicy.security}", ask: "${execPolicy.ask}", askFallback: "${execPolicy.askFallback}"}).`,
  async run(ctx) {
    const view = await approvalsStateForCheck(ctx);
    if (isOutcome(view)) return view;
    const file = `${view.target.stateDir}/${STATE_DB}`;
    if (!view.approvals.exists) {
      return verdict([{ file, path: 'exec_approvals_config', found: 'no approvals document (OpenClaw default: security full)', expected: 'the hardened approvals document', message: 'exec approvals were never set' }]);
    }
    const findings = diffApprovals(view.approvals.file, view.desired.approvals, false)
      .filter((d) => d.field.startsWith('approvals:defaults.') || /^approvals:agents\.[^.]+\.(security|ask|askFallback|autoAllowSkills)$/.test(d.field))
      .map((d) => ({ file, path: d.field.slice('approvals:'.length), found: d.found, expected: d.expected, message: 'exec approvals are wider than the model' }));
    return verdict(findings, `approvals defaults: ${execPolicy.security} / ${execPolicy.ask} / fallback ${execPolicy.askFallback}`);
  },
});
