import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { diffValue, toolOverridePaths, type Difference } from '../../src/openclaw/compare';
import { isOutcome, stateForCheck } from '../../src/openclaw/provider';
import { getPath } from '../../src/openclaw/state';
import { knownTools, toolsPolicy } from '../../src/stack/model';

export default defineCheck({
  id: '10.23',
  control: 10,
  title: 'Tools policy of the running OpenClaw: minimal + alsoAllow exec, the full deny list of real tool names, no per-agent overrides',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'The original leaked its tokens when the agent read openclaw.json with the built-in read tool. On OpenClaw 2026.9 `tools.allow` with profile minimal leaves the agent no tool at all, so the agent must keep exec through alsoAllow; unknown names in deny are accepted silently, so they are compared with the names this version has.',
  remediation: `Run \`oss harden\` (tools = {profile: "${toolsPolicy.profile}", alsoAllow: ${JSON.stringify(toolsPolicy.alsoAllow)}, deny: <model list>}).`,
  async run(ctx) {
    const view = await stateForCheck(ctx);
    if (isOutcome(view)) return view;
    const diffs: Difference[] = [];
    const want = view.desired.exact.tools as Record<string, unknown>;
    const have = getPath(view.config, 'tools');
    diffValue('tools', want, have, diffs);
    const out: Evidence[] = diffs.map((d) => ({ file: view.configFile, path: d.field, found: d.found, expected: d.expected, message: 'the tools policy differs from the model' }));
    const deny = getPath(view.config, 'tools.deny');
    const known = new Set(knownTools);
    if (Array.isArray(deny)) {
      for (const name of deny) {
        if (typeof name === 'string' && !known.has(name)) {
          out.push({ file: view.configFile, path: 'tools.deny', found: JSON.stringify(name), expected: 'a tool name this OpenClaw version has', message: `"${name}" is not a tool of this OpenClaw version; denying it denies nothing` });
        }
      }
    }
    const alsoAllow = getPath(view.config, 'tools.alsoAllow');
    if (!Array.isArray(alsoAllow) || !alsoAllow.includes('exec')) {
      out.push({ file: view.configFile, path: 'tools.alsoAllow', found: JSON.stringify(alsoAllow ?? null), expected: '["exec"]', message: 'the agent has no exec tool: every wrapper call would fail' });
    }
    for (const p of toolOverridePaths(view.config)) {
      out.push({ file: view.configFile, path: p, found: JSON.stringify(getPath(view.config, p)), expected: 'absent', message: 'a per-agent tools override can widen the global policy' });
    }
    return verdict(dedupe(out), `profile ${toolsPolicy.profile}, alsoAllow exec, ${toolsPolicy.deny.length} denied names, no overrides`);
  },
});

function dedupe(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.path}|${e.found}|${e.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
