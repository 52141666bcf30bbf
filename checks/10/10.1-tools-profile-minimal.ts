import { defineCheck, verdict } from '../../src/verify/check';
import { atOpenclaw, getPath, show } from '../../src/verify/check-helpers';
import { toolsPolicy } from '../../src/stack/model';
import type { Json } from '../../src/verify/compose';

export default defineCheck({
  id: '10.1',
  control: 10,
  title: `The agent's tool profile is "${toolsPolicy.profile}"`,
  severity: 'critical',
  needs: ['files'],
  rationale: 'The gateway LLM is treated as adversarial: it starts from the smallest tool profile and gains exec only, never the file, web or session tools.',
  remediation: `Set tools.profile to "${toolsPolicy.profile}" (\`oss harden\`).`,
  run(ctx) {
    const src = ctx.files.openclaw();
    const v = getPath(src.data, ['tools', 'profile']);
    return verdict(
      v === toolsPolicy.profile ? [] : [atOpenclaw(src, ['tools', 'profile'], { found: show(v as Json), expected: JSON.stringify(toolsPolicy.profile), message: 'tools.profile is not minimal' })],
      `tools.profile is ${toolsPolicy.profile}`,
    );
  },
});
