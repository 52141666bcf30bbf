import { defineCheck, verdict } from '../../src/verify/check';
import { asStringArray, atOpenclaw, getPath, show } from '../../src/verify/check-helpers';
import { deniedTools } from '../../src/stack/model';
import type { Json } from '../../src/verify/compose';

export default defineCheck({
  id: '10.3',
  control: 10,
  title: 'tools.deny lists every tool the agent must never have',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'Deny wins over allow. A pen-test of the original stack had the agent read openclaw.json with the built-in read tool and leak the tokens; each file, web, session, messaging and generation tool stays denied.',
  remediation: `Set tools.deny to ${JSON.stringify(deniedTools)} (\`oss harden\`).`,
  run(ctx) {
    const src = ctx.files.openclaw();
    const raw = getPath(src.data, ['tools', 'deny']);
    const deny = asStringArray(raw);
    if (!deny) return verdict([atOpenclaw(src, ['tools', 'deny'], { found: show(raw as Json), expected: 'a list of tool names', message: 'tools.deny is missing' })]);
    const missing = deniedTools.filter((t) => !deny.includes(t));
    return verdict(
      missing.length ? [atOpenclaw(src, ['tools', 'deny'], { found: `missing ${missing.join(', ')}`, expected: `all of ${deniedTools.length} denied tools`, message: `tools.deny does not deny ${missing.join(', ')}` })] : [],
      `all ${deniedTools.length} tools denied`,
    );
  },
});
