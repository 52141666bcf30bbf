import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { describeProbe, isLoopbackIp } from '../../src/docker/live';
import { publishedPorts } from '../../src/docker/inspect';
import { gateway, services } from '../../src/stack/model';

export default defineCheck({
  id: '1.31',
  control: 1,
  title: 'The running gateway answers on 127.0.0.1 and on no other address of the host',
  severity: 'critical',
  needs: ['docker', 'network'],
  rationale:
    'The compose file can say 127.0.0.1 while the engine publishes something else (an override file, a hand-started container). Asking the host itself proves it: the gateway answers on loopback and every other address of the machine gets no connection.',
  remediation: `Publish the gateway only as "${gateway.publishAddress}:<port>:${gateway.containerPort}", then \`oss up\` to recreate it.`,
  async run({ live, settings }) {
    const view = await dockerView(live);
    const c = view.container('gateway');
    if (!c) return verdict([{ message: `container ${services.gateway.containerName} does not exist`, expected: 'the gateway running (oss up)' }]);
    const out: Evidence[] = [];
    for (const p of publishedPorts(c)) {
      if (!isLoopbackIp(p.hostIp)) {
        out.push({ path: `${services.gateway.containerName}.NetworkSettings.Ports`, found: `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}`, expected: `${gateway.publishAddress}:${settings.gateway.port}`, message: `the gateway is published on ${p.hostIp || 'every interface'}` });
      }
    }
    const { loopback, others } = await view.gatewayFromHost;
    if (loopback.status === undefined) {
      out.push({ found: describeProbe(loopback), expected: 'an HTTP answer', message: `the gateway does not answer on ${gateway.publishAddress}:${settings.gateway.port}` });
    }
    for (const o of others) {
      if (o.connected) out.push({ found: `${o.id}:${settings.gateway.port} accepts connections`, expected: 'no connection', message: `the gateway port is reachable on the host address ${o.id}` });
    }
    return verdict(out, `answers on ${gateway.publishAddress}:${settings.gateway.port} (${describeProbe(loopback)}); refused on ${others.length} other host address(es): ${others.map((o) => o.id).join(', ')}`);
  },
});
