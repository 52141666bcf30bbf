import { isDeepStrictEqual } from 'node:util';
import { defineCheck, verdict } from '../../src/verify/check';
import { atOpenclaw, getPath, show } from '../../src/verify/check-helpers';
import { gatewayToolsAllow } from '../../src/stack/model';
import type { Json } from '../../src/verify/compose';

export default defineCheck({
  id: '10.5',
  control: 10,
  title: 'No tool is exposed over HTTP (gateway.tools.allow)',
  severity: 'high',
  needs: ['files'],
  rationale:
    '`gateway.tools.allow` lists the tools HTTP callers of /tools/invoke may use; it does not restrict the agent. OpenClaw\'s own audit flags ["exec"] there as a dangerous exposure, so the hardened value is the model\'s list (empty).',
  remediation: `Set gateway.tools.allow to ${JSON.stringify(gatewayToolsAllow)} (\`openclaw config set gateway.tools.allow --json '${JSON.stringify(gatewayToolsAllow)}'\`).`,
  run(ctx) {
    const src = ctx.files.openclaw();
    const v = getPath(src.data, ['gateway', 'tools', 'allow']);
    const ok = (v === undefined && gatewayToolsAllow.length === 0) || isDeepStrictEqual(v, [...gatewayToolsAllow]);
    return verdict(
      ok ? [] : [atOpenclaw(src, ['gateway', 'tools', 'allow'], { found: show(v as Json), expected: JSON.stringify(gatewayToolsAllow), message: 'tools are exposed to HTTP callers of /tools/invoke' })],
      'no tool exposed over HTTP',
    );
  },
});
