import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { diffValue, type Difference } from '../../src/openclaw/compare';
import { isOutcome, stateForCheck } from '../../src/openclaw/provider';
import { getPath } from '../../src/openclaw/state';

export default defineCheck({
  id: '7.21',
  control: 7,
  title: 'Telegram in the running OpenClaw: allowlisted DMs from the operators, allowlisted groups with mention, bot token by file, enabled only when configured',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'Whoever can message the bot drives the agent. The block is configured before it is enabled (the original procedure), requireMention lives per group (rejected at channels.telegram), and the bot token never sits in openclaw.json.',
  remediation: 'Run `oss harden` (it also switches a wrongly configured enabled channel off), then `oss telegram enable` once every check passes.',
  async run(ctx) {
    const view = await stateForCheck(ctx);
    if (isOutcome(view)) return view;
    const want = view.desired.exact['channels.telegram'] as Record<string, unknown>;
    const have = getPath(view.config, 'channels.telegram') as Record<string, unknown> | undefined;
    const diffs: Difference[] = [];
    diffValue('channels.telegram', { ...want, enabled: undefined }, have ? { ...have, enabled: undefined } : undefined, diffs);
    const out: Evidence[] = diffs.map((d) => ({ file: view.configFile, path: d.field, found: d.found, expected: d.expected, message: 'the Telegram block differs from the model' }));
    const groups = (have?.groups ?? {}) as Record<string, { requireMention?: unknown }>;
    for (const [id, g] of Object.entries(groups)) {
      if (g?.requireMention !== true) out.push({ file: view.configFile, path: `channels.telegram.groups.${id}.requireMention`, found: JSON.stringify(g?.requireMention), expected: 'true', message: 'the bot answers in a group without being mentioned' });
    }
    const enabled = have?.enabled === true;
    if (enabled && out.length > 0) out.unshift({ file: view.configFile, path: 'channels.telegram.enabled', found: 'true', expected: 'false until the block is configured', message: 'Telegram is enabled while misconfigured' });
    return verdict(out, enabled ? 'Telegram enabled, configured as the model' : 'Telegram disabled and configured as the model');
  },
});
