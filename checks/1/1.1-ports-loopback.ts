import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { asList, isLoopbackAddress, parsePort } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { gateway } from '../../src/stack/model';

export default defineCheck({
  id: '1.1',
  control: 1,
  title: 'Every published port is bound to a loopback address',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'A port published without an address ("8080:18789", "18789", a range, or long syntax without host_ip) listens on every interface, and `network_mode: host` publishes everything: the gateway and its Control UI would be reachable from the network.',
  remediation: `Publish as "${gateway.publishAddress}:<port>:${gateway.containerPort}" (long syntax: host_ip: ${gateway.publishAddress}) and remove any network_mode: host; re-run \`oss init\` to restore the rendered compose file.`,
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const out: Evidence[] = [];
        if (s.svc.network_mode === 'host') {
          out.push(s.at(['network_mode'], { found: 'host', expected: 'the service on its compose networks', message: `service ${s.name} uses the host network: every port it listens on is exposed` }));
        }
        asList(s.svc.ports).forEach((entry, i) => {
          const p = parsePort(entry);
          if ('error' in p) {
            out.push(s.at(['ports', i], { found: show(entry), expected: 'a port mapping', message: `service ${s.name}: cannot read port entry (${p.error}); treated as exposed` }));
          } else if (!isLoopbackAddress(p.hostIp)) {
            out.push(
              s.at(['ports', i], {
                found: show(entry),
                expected: `${gateway.publishAddress}:<host port>:<container port>`,
                message: `service ${s.name} publishes ${p.containerPort}/${p.protocol} on ${p.hostIp || 'all interfaces (0.0.0.0 and ::)'}`,
              }),
            );
          }
        });
        return out;
      }),
      'all published ports are on loopback',
    ),
});
