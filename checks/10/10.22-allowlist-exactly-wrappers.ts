import { defineCheck, verdict } from '../../src/verify/check';
import { diffApprovals } from '../../src/openclaw/compare';
import { approvalsStateForCheck, isOutcome } from '../../src/openclaw/provider';
import { STATE_DB } from '../../src/openclaw/state';
import { EXEC_AGENT, routes } from '../../src/stack/model';

export default defineCheck({
  id: '10.22',
  control: 10,
  title: `The ${EXEC_AGENT} agent's exec allowlist is exactly the ${routes.length} bridge wrappers; no other agent or wildcard entry`,
  severity: 'critical',
  needs: ['files'],
  rationale:
    'An allowlist entry is a command the agent may run without asking. Any entry beyond the fixed wrappers (a shell, an interpreter, a "*" agent entry, a per-agent security override) gives the adversarial LLM a general-purpose executor.',
  remediation: 'Run `oss harden`: it replaces the approvals document with exactly the wrapper entries (fixed ids, deploy-staging restricted to no arguments).',
  async run(ctx) {
    const view = await approvalsStateForCheck(ctx);
    if (isOutcome(view)) return view;
    const file = `${view.target.stateDir}/${STATE_DB}`;
    const findings = diffApprovals(view.approvals.file, view.desired.approvals, false)
      .filter((d) => d.field.startsWith('approvals:agents.'))
      .map((d) => ({ file, path: d.field.slice('approvals:'.length), found: d.found, expected: d.expected, message: 'the exec allowlist differs from the bridge wrappers' }));
    const n = view.approvals.file.agents?.[EXEC_AGENT]?.allowlist?.length ?? 0;
    return verdict(findings, `${n} allowlist entries, exactly the wrappers`);
  },
});
