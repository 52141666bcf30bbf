import { defineCheck, verdict } from '../../src/verify/check';
import { asList } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';

export default defineCheck({
  id: 'C.3',
  control: 'C',
  title: 'Every service drops all capabilities',
  severity: 'high',
  needs: ['files'],
  rationale: "Docker's default capability set (CHOWN, SETUID, NET_RAW, ...) is more than any service here needs; `cap_drop: [ALL]` removes it.",
  remediation: 'Add `cap_drop: [ALL]` to the service.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) =>
        asList(s.svc.cap_drop).some((c) => String(c).toUpperCase() === 'ALL' || String(c).toUpperCase() === 'CAP_ALL')
          ? null
          : s.at(['cap_drop'], { found: show(s.svc.cap_drop), expected: '[ALL]', message: `service ${s.name} keeps Docker's default capabilities` }),
      ),
      'all capabilities dropped everywhere',
    ),
});
