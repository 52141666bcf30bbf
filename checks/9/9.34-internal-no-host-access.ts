import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { describeProbe } from '../../src/docker/live';
import { networks, services } from '../../src/stack/model';

const INHIBIT = 'com.docker.network.bridge.inhibit_ipv4';

export default defineCheck({
  id: '9.34',
  control: 9,
  title: 'Containers on the internal networks cannot reach services on the host',
  severity: 'high',
  needs: ['docker', 'network'],
  rationale: '`internal: true` stops forwarding but still lets containers reach every host service listening on 0.0.0.0 through the bridge gateway address. Without IPv4 on the host side (inhibit_ipv4) there is no such route. Probed live: a listener on all host addresses, reached from the host, and not from the bridge.',
  remediation: `Give every internal network \`internal: true\` and driver_opts ${INHIBIT}: "true" (rendered by oss init); \`oss down\` and \`oss up\` to recreate the networks.`,
  async run({ live }) {
    const view = await dockerView(live);
    const out: Evidence[] = [];
    for (const net of Object.values(networks).filter((n) => n.internal)) {
      const n = view.networks.get(net.name);
      if (!n) {
        out.push({ found: 'absent', expected: `network ${net.name}`, message: `network ${net.name} does not exist` });
        continue;
      }
      if (!n.Internal) out.push({ path: `${net.name}.Internal`, found: 'false', expected: 'true', message: `network ${net.name} is not internal` });
      if (n.Options?.[INHIBIT] !== 'true') out.push({ path: `${net.name}.Options`, found: n.Options?.[INHIBIT] ?? 'absent', expected: `${INHIBIT}=true`, message: `network ${net.name} gives the host side an IPv4 address` });
    }
    const { listenerFromHost, probes } = await view.hostFromInternal;
    if (!listenerFromHost.connected) out.push({ found: describeProbe(listenerFromHost), expected: 'connected', message: 'the probe listener did not answer on the host itself; the probe proves nothing' });
    for (const p of probes) {
      if (p.connected) out.push({ found: `${p.id}: connected`, expected: 'no connection', message: `${services.bridge.containerName} reaches a host service at ${p.id.replace('host ', '')}` });
    }
    return verdict(out, `from ${services.bridge.containerName}: ${probes.map((p) => `${p.id} ${describeProbe(p)}`).join(', ')}`);
  },
});
