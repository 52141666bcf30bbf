import { defineCheck, verdict } from '../../src/verify/check';
import { eachService, show } from '../../src/verify/check-helpers';

export default defineCheck({
  id: 'C.11',
  control: 'C',
  title: 'Every service runs as a non-root user',
  severity: 'high',
  needs: ['files'],
  rationale: 'Root in a container is one kernel bug away from root on the host; every service here runs as an unprivileged uid set in compose (not left to the image).',
  remediation: 'Set `user: "<uid>:<gid>"` to the model\'s non-root user (re-run `oss init --force`).',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const u = s.svc.user;
        const name = typeof u === 'number' ? String(u) : typeof u === 'string' ? u.trim().split(':')[0]! : '';
        if (name !== '' && name !== '0' && name !== 'root') return null;
        return s.at(['user'], { found: show(u), expected: 'a non-root uid:gid', message: u === undefined ? `service ${s.name} runs as the image's default user (root unless the image says otherwise)` : `service ${s.name} runs as root` });
      }),
      'no service runs as root',
    ),
});
