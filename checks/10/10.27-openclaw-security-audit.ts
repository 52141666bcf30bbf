import { defineCheck, fail, pass, type Evidence } from '../../src/verify/check';
import type { OpenClawCliView } from '../../src/openclaw/provider';

export default defineCheck({
  id: '10.27',
  control: 10,
  title: "OpenClaw's own `security audit`: no critical finding (warnings and info are reported)",
  severity: 'critical',
  needs: ['openclaw'],
  rationale: 'OpenClaw knows checks oss does not (auth without token, dangerous HTTP tool exposure, open channels). Its audit exits 0 even with criticals, so oss reads the findings.',
  remediation: 'Fix each critical finding as its remediation says, usually by `oss harden`.',
  async run(ctx) {
    const cli = (await ctx.live.openclaw!()) as OpenClawCliView;
    const findings = cli.audit.findings ?? [];
    const ev = (f: (typeof findings)[number]): Evidence => ({ path: f.checkId, found: f.severity, message: `${f.severity}: ${f.title ?? f.checkId}` });
    const critical = findings.filter((f) => f.severity === 'critical');
    const rest = findings.filter((f) => f.severity !== 'critical').map(ev);
    if (critical.length > 0) return fail(...critical.map(ev), ...rest);
    const s = cli.audit.summary ?? {};
    return pass({ message: `audit: ${s.critical ?? 0} critical, ${s.warn ?? 0} warn, ${s.info ?? 0} info` }, ...rest);
  },
});
