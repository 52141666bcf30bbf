import { defineCheck, verdict } from '../../src/verify/check';
import { asList } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';

export default defineCheck({
  id: 'C.7',
  control: 'C',
  title: 'No service gets host devices',
  severity: 'high',
  needs: ['files'],
  rationale: 'A host device node (disk, /dev/mem, GPU) inside a container is direct access to host hardware; none of these services needs one.',
  remediation: 'Remove `devices` / `device_cgroup_rules` from the service.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => [
        ...asList(s.svc.devices).map((d, i) => s.at(['devices', i], { found: show(d), expected: 'no device', message: `service ${s.name} maps a host device` })),
        ...asList(s.svc.device_cgroup_rules).map((d, i) => s.at(['device_cgroup_rules', i], { found: show(d), expected: 'no device rule', message: `service ${s.name} allows host devices by cgroup rule` })),
      ]),
      'no host devices',
    ),
});
