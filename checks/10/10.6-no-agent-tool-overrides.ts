import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { atOpenclaw, getPath, isObject, show } from '../../src/verify/check-helpers';
import type { Json } from '../../src/verify/compose';

export default defineCheck({
  id: '10.6',
  control: 10,
  title: 'No per-agent tool policy overrides the global one',
  severity: 'high',
  needs: ['files'],
  rationale: 'agents.defaults.tools and agents.entries.<id>.tools replace the global tool policy for those agents: a hardened tools block is meaningless if an agent entry brings its own.',
  remediation: 'Remove agents.defaults.tools and every agents.entries.<id>.tools (`oss harden` sets them to null).',
  run(ctx) {
    const src = ctx.files.openclaw();
    const out: Evidence[] = [];
    const defaults = getPath(src.data, ['agents', 'defaults', 'tools']);
    if (defaults !== undefined && defaults !== null) out.push(atOpenclaw(src, ['agents', 'defaults', 'tools'], { found: show(defaults as Json), expected: 'absent', message: 'agents.defaults.tools overrides the tool policy' }));
    for (const listKey of ['entries', 'list']) {
      const entries = getPath(src.data, ['agents', listKey]);
      const items: [string | number, unknown][] = Array.isArray(entries) ? entries.map((e, i) => [i, e]) : isObject(entries) ? Object.entries(entries) : [];
      for (const [id, e] of items) {
        if (isObject(e) && e.tools !== undefined && e.tools !== null) {
          out.push(atOpenclaw(src, ['agents', listKey, id, 'tools'], { found: show(e.tools), expected: 'absent', message: `agent ${isObject(e) && typeof e.id === 'string' ? e.id : id} has its own tool policy` }));
        }
      }
    }
    return verdict(out, 'no per-agent tool overrides');
  },
});
