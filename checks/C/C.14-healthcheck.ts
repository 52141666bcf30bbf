import { defineCheck, verdict } from '../../src/verify/check';
import { isObject } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';

export default defineCheck({
  id: 'C.14',
  control: 'C',
  title: 'Every service has a healthcheck',
  severity: 'low',
  needs: ['files'],
  rationale: 'Start order (gateway after a healthy bridge, bridge after a healthy socket proxy) and `oss verify` live checks rely on health; a service without one is "up" while broken.',
  remediation: 'Add the healthcheck the rendered compose file has for the service (re-run `oss init --force`).',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const hc = s.svc.healthcheck;
        const disabled = isObject(hc) && (hc.disable === true || (Array.isArray(hc.test) && String(hc.test[0]).toUpperCase() === 'NONE'));
        if (isObject(hc) && hc.test !== undefined && !disabled) return null;
        return s.at(['healthcheck'], { found: show(hc), expected: 'a healthcheck test', message: disabled ? `service ${s.name} disables its healthcheck` : `service ${s.name} has no healthcheck` });
      }),
      'healthchecks everywhere',
    ),
});
