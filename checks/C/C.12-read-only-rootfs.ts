import { defineCheck, verdict } from '../../src/verify/check';
import { eachService, show } from '../../src/verify/check-helpers';
import { services } from '../../src/stack/model';

export default defineCheck({
  id: 'C.12',
  control: 'C',
  title: 'Every service has a read-only root filesystem',
  severity: 'medium',
  needs: ['files'],
  rationale: 'A read-only root stops a compromised process from planting binaries or editing the image; the writable paths are explicit tmpfs mounts (the gateway needs /tmp and /home/node/.cache).',
  remediation: 'Set `read_only: true` and add the tmpfs mounts the model lists for the service.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const wanted = s.key === undefined || services[s.key].readOnlyRootfs;
        if (!wanted || s.svc.read_only === true || s.svc.read_only === 'true') return null;
        return s.at(['read_only'], { found: show(s.svc.read_only), expected: 'true', message: `service ${s.name} has a writable root filesystem` });
      }),
      'read-only root filesystems',
    ),
});
