import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { asList, parsePort } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { gateway } from '../../src/stack/model';

export default defineCheck({
  id: '1.2',
  control: 1,
  title: 'Only the gateway publishes a port, and only its own',
  severity: 'high',
  needs: ['files'],
  rationale:
    'The gateway is the single entry point; the bridge, the socket proxy and the workers are reached over internal networks only. A published bridge port would let anyone on the host call the workers.',
  remediation: `Remove \`ports:\` from every service but the gateway (use \`expose:\` for internal ports); the gateway publishes exactly "${gateway.publishAddress}:<oss.yaml gateway.port>:${gateway.containerPort}".`,
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const out: Evidence[] = [];
        const ports = asList(s.svc.ports);
        if (s.key !== 'gateway') {
          ports.forEach((entry, i) =>
            out.push(s.at(['ports', i], { found: show(entry), expected: 'no published port', message: `service ${s.name} publishes a host port` })),
          );
          return out;
        }
        const want = String(ctx.settings.gateway.port);
        if (ports.length === 0) out.push(s.at(['ports'], { found: 'no published port', expected: `${gateway.publishAddress}:${want}:${gateway.containerPort}`, message: 'the gateway publishes no port' }));
        ports.slice(1).forEach((entry, i) =>
          out.push(s.at(['ports', i + 1], { found: show(entry), expected: 'exactly one published port', message: 'the gateway publishes an extra port' })),
        );
        ports.forEach((entry, i) => {
          const p = parsePort(entry);
          if ('error' in p) return;
          if (p.containerPort !== String(gateway.containerPort) || p.hostPort !== want) {
            out.push(
              s.at(['ports', i], {
                found: show(entry),
                expected: `${gateway.publishAddress}:${want}:${gateway.containerPort}`,
                message: 'the gateway publishes a port other than its own (oss.yaml gateway.port -> container port)',
              }),
            );
          }
        });
        return out;
      }),
      'only the gateway port is published',
    ),
});
