import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { atOpenclaw, getPath, show } from '../../src/verify/check-helpers';
import { execPolicy } from '../../src/stack/model';
import type { Json } from '../../src/verify/compose';

export default defineCheck({
  id: '10.7',
  control: 10,
  title: 'The config half of the exec policy: host gateway, allowlist + ask on miss',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'OpenClaw defaults to full exec (security=full, ask=off). The config layer must say host "gateway" and mode "ask" (= security allowlist + ask on-miss); the approvals store holds the allowlist and askFallback deny (checked live).',
  remediation: `Set tools.exec to {host: "${execPolicy.host}", mode: "${execPolicy.configMode}"} (\`oss harden\`).`,
  run(ctx) {
    const src = ctx.files.openclaw();
    const out: Evidence[] = [];
    const exec = ['tools', 'exec'];
    const host = getPath(src.data, [...exec, 'host']);
    const mode = getPath(src.data, [...exec, 'mode']);
    const security = getPath(src.data, [...exec, 'security']);
    const ask = getPath(src.data, [...exec, 'ask']);
    if (host !== execPolicy.host) out.push(atOpenclaw(src, [...exec, 'host'], { found: show(host as Json), expected: JSON.stringify(execPolicy.host), message: 'exec does not run on the gateway host policy' }));
    const legacyOk = mode === undefined && security === execPolicy.security && ask === execPolicy.ask;
    if (mode !== execPolicy.configMode && !legacyOk) {
      out.push(atOpenclaw(src, [...exec, 'mode'], { found: show((mode ?? security) as Json), expected: JSON.stringify(execPolicy.configMode), message: 'exec is not allowlist + ask on miss' }));
    }
    return verdict(out, `tools.exec is host ${execPolicy.host}, mode ${execPolicy.configMode}`);
  },
});
