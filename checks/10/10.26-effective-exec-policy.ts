import { defineCheck, verdict } from '../../src/verify/check';
import { diffEffectivePolicy } from '../../src/openclaw/compare';
import type { OpenClawCliView } from '../../src/openclaw/provider';
import { execPolicy } from '../../src/stack/model';

export default defineCheck({
  id: '10.26',
  control: 10,
  title: "OpenClaw's own effective exec policy (`exec-policy show`): allowlist, on-miss, fallback deny in every scope",
  severity: 'critical',
  needs: ['openclaw'],
  rationale:
    'The file and DB checks compare stored values; this asks OpenClaw how it resolves them, which catches values a writer dropped silently (invalid enums are removed, rc 0) and layers the stores do not show.',
  remediation: 'Run `oss harden` and compare again with `oss verify --deep`.',
  async run(ctx) {
    const cli = (await ctx.live.openclaw!()) as OpenClawCliView;
    const diffs = diffEffectivePolicy(cli.execPolicy as Parameters<typeof diffEffectivePolicy>[0]);
    return verdict(
      diffs.map((d) => ({ path: d.field, found: d.found, expected: d.expected, message: 'effective exec policy differs from the model' })),
      `every scope: ${execPolicy.security} / ${execPolicy.ask} / fallback ${execPolicy.askFallback}`,
    );
  },
});
