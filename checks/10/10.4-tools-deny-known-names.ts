import { defineCheck, verdict } from '../../src/verify/check';
import { asStringArray, atOpenclaw, getPath } from '../../src/verify/check-helpers';
import { knownTools } from '../../src/stack/model';

export default defineCheck({
  id: '10.4',
  control: 10,
  title: 'tools.deny names only tools this OpenClaw version has',
  severity: 'low',
  needs: ['files'],
  rationale:
    'OpenClaw accepts unknown names in tools.deny silently, so a renamed tool (image -> view_image in 2026.9) is quietly allowed again. A name that matches nothing is a sign the list is stale.',
  remediation: 'Replace the unknown name with its current one (`openclaw doctor --fix` rewrites renamed tools) or remove it.',
  run(ctx) {
    const known: readonly string[] = knownTools;
    const src = ctx.files.openclaw();
    const deny = asStringArray(getPath(src.data, ['tools', 'deny'])) ?? [];
    const unknown = deny.map((t, i) => ({ t, i })).filter(({ t }) => !known.includes(t));
    return verdict(
      unknown.map(({ t, i }) => atOpenclaw(src, ['tools', 'deny', i], { found: t, expected: 'a tool name of this OpenClaw version', message: `tools.deny names unknown tool "${t}" (it denies nothing)` })),
      'every denied name is a known tool',
    );
  },
});
