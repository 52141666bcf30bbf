import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { atOpenclaw, getPath, isObject, show } from '../../src/verify/check-helpers';
import type { Json } from '../../src/verify/compose';

const G = ['channels', 'telegram', 'groups'];

export default defineCheck({
  id: '7.2',
  control: 7,
  title: 'Every Telegram group requires a mention',
  severity: 'high',
  needs: ['files'],
  rationale:
    'In a group every member\'s message reaches the agent unless the bot must be mentioned. OpenClaw 2026.9 only accepts requireMention per group entry (channels.telegram.groups.<id>), not on the channel.',
  remediation: 'Set requireMention: true on each entry under channels.telegram.groups (and on "*" if present).',
  run(ctx) {
    const src = ctx.files.openclaw();
    const groups = getPath(src.data, G);
    if (groups === undefined) return verdict([], 'no Telegram groups configured');
    if (!isObject(groups)) return verdict([atOpenclaw(src, G, { found: show(groups as Json), expected: 'an object keyed by chat id', message: 'channels.telegram.groups is not an object' })]);
    const out: Evidence[] = [];
    for (const [id, g] of Object.entries(groups)) {
      if (!isObject(g) || g.requireMention !== true) {
        out.push(atOpenclaw(src, [...G, id, 'requireMention'], { found: show(isObject(g) ? g.requireMention : g), expected: 'true', message: `Telegram group ${id} does not require a mention` }));
      }
      const topics = isObject(g) && isObject(g.topics) ? g.topics : {};
      for (const [tid, t] of Object.entries(topics)) {
        if (isObject(t) && t.requireMention === false) {
          out.push(atOpenclaw(src, [...G, id, 'topics', tid, 'requireMention'], { found: 'false', expected: 'true or unset', message: `topic ${tid} of group ${id} turns the mention requirement off` }));
        }
      }
    }
    return verdict(out, `${Object.keys(groups).length} group(s), each requires a mention`);
  },
});
