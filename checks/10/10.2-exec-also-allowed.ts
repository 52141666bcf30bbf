import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { asStringArray, atOpenclaw, getPath, show } from '../../src/verify/check-helpers';
import { toolsPolicy } from '../../src/stack/model';
import type { Json } from '../../src/verify/compose';

export default defineCheck({
  id: '10.2',
  control: 10,
  title: 'The agent keeps exec: tools.alsoAllow has it and tools.allow is absent',
  severity: 'high',
  needs: ['files'],
  rationale:
    'On OpenClaw 2026.9 `tools.allow` clamps the minimal profile, leaving the agent no callable tool at all (every turn fails while validate and audit stay silent). `alsoAllow: ["exec"]` is the form that keeps exec and nothing more.',
  remediation: `Remove tools.allow and set tools.alsoAllow to ${JSON.stringify(toolsPolicy.alsoAllow)} (\`oss harden\`).`,
  run(ctx) {
    const src = ctx.files.openclaw();
    const out: Evidence[] = [];
    const allow = getPath(src.data, ['tools', 'allow']);
    if (allow !== undefined) out.push(atOpenclaw(src, ['tools', 'allow'], { found: show(allow as Json), expected: 'absent', message: 'tools.allow clamps the profile: the agent is left with no tools' }));
    const also = asStringArray(getPath(src.data, ['tools', 'alsoAllow']));
    const extra = (also ?? []).filter((t) => !(toolsPolicy.alsoAllow as readonly string[]).includes(t));
    for (const t of toolsPolicy.alsoAllow) {
      if (!also?.includes(t)) out.push(atOpenclaw(src, ['tools', 'alsoAllow'], { found: show(getPath(src.data, ['tools', 'alsoAllow']) as Json), expected: `contains "${t}"`, message: `tools.alsoAllow does not grant ${t}` }));
    }
    if (extra.length > 0) out.push(atOpenclaw(src, ['tools', 'alsoAllow'], { found: JSON.stringify(extra), expected: JSON.stringify(toolsPolicy.alsoAllow), message: 'tools.alsoAllow grants more than exec' }));
    return verdict(out, 'exec granted through tools.alsoAllow only');
  },
});
