import { defineCheck, verdict } from '../../src/verify/check';
import { asList } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';

export default defineCheck({
  id: 'C.2',
  control: 'C',
  title: 'No service adds Linux capabilities',
  severity: 'high',
  needs: ['files'],
  rationale: 'Every service runs with no capabilities at all; cap_add brings back powers like NET_ADMIN or SYS_ADMIN that the hardened stack never needs.',
  remediation: 'Remove `cap_add` from the service.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) =>
        asList(s.svc.cap_add).map((c, i) => s.at(['cap_add', i], { found: show(c), expected: 'no added capability', message: `service ${s.name} adds capability ${String(c)}` })),
      ),
      'no capability added',
    ),
});
