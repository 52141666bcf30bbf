import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { asList, namesOf } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { networks, services } from '../../src/stack/model';

export default defineCheck({
  id: '9.1',
  control: 9,
  title: 'The bridge is only on internal networks and publishes no host port',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'The bridge executes worker commands for any caller holding the token. It is reachable only from the gateway over an internal network (and reaches the socket proxy over another); any other network or a published port widens who can call it.',
  remediation: `Attach the bridge to ${services.bridge.networks.map((n) => networks[n].name).join(' and ')} only, with no ports: and no network_mode.`,
  run: (ctx) =>
    verdict(
      eachService(ctx, (s, compose) => {
        if (s.key !== 'bridge') return null;
        const out: Evidence[] = [];
        if (s.svc.network_mode !== undefined) out.push(s.at(['network_mode'], { found: show(s.svc.network_mode), expected: 'absent', message: 'the bridge shares another network namespace' }));
        asList(s.svc.ports).forEach((p, i) => out.push(s.at(['ports', i], { found: show(p), expected: 'no published port', message: 'the bridge publishes a host port' })));
        const nets = namesOf(s.svc.networks);
        if (nets.length === 0 && s.svc.network_mode === undefined) out.push(s.at(['networks'], { found: 'default network', expected: services.bridge.networks.join(', '), message: 'the bridge is on the project default network' }));
        nets.forEach((n, i) => {
          const key = compose.networkKey(n);
          if (!key || !services.bridge.networks.includes(key) || !networks[key].internal) {
            out.push(s.at(['networks', Array.isArray(s.svc.networks) ? i : n], { found: n, expected: services.bridge.networks.join(', '), message: `the bridge joins network ${n}, which is not one of its internal networks` }));
          }
        });
        return out;
      }),
      'bridge reachable on internal networks only',
    ),
});
