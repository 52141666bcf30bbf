import { defineCheck, verdict } from '../../src/verify/check';
import { isObject } from '../../src/verify/compose';
import { eachService, getPath, show } from '../../src/verify/check-helpers';
import { RESTART_POLICY } from '../../src/stack/model';

const MAX_RETRIES = Number(RESTART_POLICY.split(':')[1] ?? 5);

export default defineCheck({
  id: 'C.10',
  control: 'C',
  title: 'Every service restarts on failure, a bounded number of times',
  severity: 'low',
  needs: ['files'],
  rationale: 'CIS Docker 5.14: restart on failure with a retry limit, so a crash loop stops and shows instead of hammering the host, and a crash does not leave the stack half down.',
  remediation: `Set restart: "${RESTART_POLICY}" (or deploy.restart_policy {condition: on-failure, max_attempts: ${MAX_RETRIES}}).`,
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const r = s.svc.restart;
        if (typeof r === 'string') {
          const m = /^on-failure(?::(\d+))?$/.exec(r.trim());
          if (m && m[1] !== undefined && Number(m[1]) > 0 && Number(m[1]) <= MAX_RETRIES) return null;
        } else {
          const rp = getPath(s.svc, ['deploy', 'restart_policy']);
          if (isObject(rp) && rp.condition === 'on-failure' && Number(rp.max_attempts) > 0 && Number(rp.max_attempts) <= MAX_RETRIES) return null;
        }
        return s.at(['restart'], { found: show(r), expected: `"${RESTART_POLICY}"`, message: `service ${s.name} has no bounded on-failure restart policy` });
      }),
      'bounded restarts everywhere',
    ),
});
