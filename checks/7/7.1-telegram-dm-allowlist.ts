import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { atOpenclaw, getPath, isObject, show } from '../../src/verify/check-helpers';
import type { Json } from '../../src/verify/compose';

const T = ['channels', 'telegram'];

export default defineCheck({
  id: '7.1',
  control: 7,
  title: 'Telegram is disabled, or allowlisted to named operators with no wildcard',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'Whoever can message the bot drives an agent that can run the bridge routes. The channel is configured (allowlist, operator ids, group allowlist) before it is enabled, so enabling it never opens it to everyone.',
  remediation:
    'Set channels.telegram to {enabled:false, dmPolicy:"allowlist", allowFrom:[<operator ids>], groupPolicy:"allowlist"}; pass operator ids with `oss init --telegram-id <id>` before enabling.',
  run(ctx) {
    const src = ctx.files.openclaw();
    const tg = getPath(src.data, T);
    if (tg === undefined) return verdict([], 'no Telegram channel configured');
    if (!isObject(tg)) return verdict([atOpenclaw(src, T, { found: show(tg as Json), expected: 'an object', message: 'channels.telegram is not an object' })]);
    const out: Evidence[] = [];
    const enabled = tg.enabled !== false;
    if (tg.dmPolicy !== 'allowlist') out.push(atOpenclaw(src, [...T, 'dmPolicy'], { found: show(tg.dmPolicy), expected: '"allowlist"', message: 'Telegram direct messages are not allowlisted' }));
    if (tg.groupPolicy !== 'allowlist') out.push(atOpenclaw(src, [...T, 'groupPolicy'], { found: show(tg.groupPolicy), expected: '"allowlist"', message: 'Telegram groups are not allowlisted' }));
    for (const key of ['allowFrom', 'groupAllowFrom']) {
      const list = tg[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        out.push(atOpenclaw(src, [...T, key], { found: show(list), expected: 'a list of numeric user ids', message: `channels.telegram.${key} is not a list` }));
        continue;
      }
      list.forEach((v, i) => {
        if (String(v).trim() === '*' || !/^[1-9][0-9]{0,19}$/.test(String(v).trim())) {
          out.push(atOpenclaw(src, [...T, key, i], { found: show(v), expected: 'a numeric Telegram user id', message: `channels.telegram.${key} has an entry that is not one operator (wildcard, name or empty)` }));
        }
      });
    }
    const allow = Array.isArray(tg.allowFrom) ? tg.allowFrom : [];
    if (enabled && allow.length === 0) {
      out.push(atOpenclaw(src, [...T, 'allowFrom'], { found: show(tg.allowFrom), expected: 'at least one operator id', message: 'Telegram is enabled with no operator in allowFrom' }));
    }
    return verdict(out, enabled ? 'Telegram enabled for allowlisted operators only' : 'Telegram disabled and pre-configured as allowlist');
  },
});
