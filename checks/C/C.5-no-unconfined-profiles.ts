import { defineCheck, verdict } from '../../src/verify/check';
import { asList } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';

const UNCONFINED = /^(seccomp|apparmor|systempaths)\s*[:=]\s*unconfined$|^label\s*[:=]\s*disable$/i;

export default defineCheck({
  id: 'C.5',
  control: 'C',
  title: 'No service disables seccomp, AppArmor or masked paths',
  severity: 'high',
  needs: ['files'],
  rationale: "Docker's default seccomp and AppArmor profiles block the syscalls and paths most container escapes use; `unconfined` removes them.",
  remediation: 'Remove the `seccomp=unconfined` / `apparmor=unconfined` / `systempaths=unconfined` / `label=disable` entry from security_opt.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) =>
        asList(s.svc.security_opt).flatMap((o, i) =>
          UNCONFINED.test(String(o).trim()) ? [s.at(['security_opt', i], { found: show(o), expected: 'the default profile', message: `service ${s.name} runs ${String(o)}` })] : [],
        ),
      ),
      'default confinement everywhere',
    ),
});
