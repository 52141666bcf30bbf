import { defineCheck, verdict } from '../../src/verify/check';
import { eachService, show } from '../../src/verify/check-helpers';

export default defineCheck({
  id: 'C.13',
  control: 'C',
  title: 'Every service runs an init process',
  severity: 'low',
  needs: ['files'],
  rationale: 'Without an init as PID 1, worker children that exit are never reaped (pids limit exhaustion) and SIGTERM is not forwarded, so stops take the full timeout and kill mid-write.',
  remediation: 'Set `init: true` on the service.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => (s.svc.init === true || s.svc.init === 'true' ? null : s.at(['init'], { found: show(s.svc.init), expected: 'true', message: `service ${s.name} runs without an init process` }))),
      'init everywhere',
    ),
});
