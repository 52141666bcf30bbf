import { defineCheck, verdict } from '../../src/verify/check';
import { asList } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';

/** true when the security_opt list sets no-new-privileges (and never turns it off again) */
export function noNewPrivileges(opts: unknown[]): boolean {
  let on = false;
  for (const o of opts) {
    const m = /^no-new-privileges(?:[:=](true|false))?$/i.exec(String(o).trim());
    if (m) on = (m[1] ?? 'true').toLowerCase() === 'true';
  }
  return on;
}

export default defineCheck({
  id: 'C.4',
  control: 'C',
  title: 'Every service sets no-new-privileges',
  severity: 'high',
  needs: ['files'],
  rationale: 'no-new-privileges stops setuid binaries and file capabilities from raising a process\'s privileges inside the container.',
  remediation: 'Add `security_opt: ["no-new-privileges:true"]` to the service.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) =>
        noNewPrivileges(asList(s.svc.security_opt))
          ? null
          : s.at(['security_opt'], { found: show(s.svc.security_opt), expected: '["no-new-privileges:true"]', message: `service ${s.name} does not set no-new-privileges` }),
      ),
      'no-new-privileges everywhere',
    ),
});
