import { defineCheck, verdict } from '../../src/verify/check';
import { eachService, show } from '../../src/verify/check-helpers';

export default defineCheck({
  id: 'C.1',
  control: 'C',
  title: 'No service runs privileged',
  severity: 'critical',
  needs: ['files'],
  rationale: 'A privileged container has every capability and every host device: it is root on the host.',
  remediation: 'Remove `privileged: true` from the service.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) =>
        s.svc.privileged === true || s.svc.privileged === 'true'
          ? s.at(['privileged'], { found: show(s.svc.privileged), expected: 'false or absent', message: `service ${s.name} runs privileged` })
          : null,
      ),
      'no privileged service',
    ),
});
