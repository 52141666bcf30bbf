import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { describeProbe } from '../../src/docker/live';
import { publishedPorts } from '../../src/docker/inspect';
import { bridge, networks, services } from '../../src/stack/model';

export default defineCheck({
  id: '9.31',
  control: 9,
  title: 'The running bridge publishes no port and the host cannot reach it',
  severity: 'critical',
  needs: ['docker', 'network'],
  rationale: 'The bridge runs worker commands for anyone with the token; only the gateway may reach it. As running: no published port, only its internal networks, and its container addresses give the host no connection (no IPv4 on the host side of those networks).',
  remediation: `Remove ports: from the bridge, keep it on ${services.bridge.networks.map((n) => networks[n].name).join(' and ')} (internal, inhibit_ipv4), then \`oss up\`.`,
  async run({ live }) {
    const view = await dockerView(live);
    const name = services.bridge.containerName;
    const c = view.container('bridge');
    if (!c) return verdict([{ message: `container ${name} does not exist`, expected: 'the bridge running (oss up)' }]);
    const out: Evidence[] = publishedPorts(c).map((p) => ({ path: `${name}.NetworkSettings.Ports`, found: `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}`, expected: 'no published port', message: 'the bridge publishes a host port' }));
    const allowed = new Set(services.bridge.networks.map((k) => networks[k].name));
    for (const n of Object.keys(c.NetworkSettings.Networks ?? {})) {
      if (!allowed.has(n)) out.push({ path: `${name}.NetworkSettings.Networks`, found: n, expected: [...allowed].join(', '), message: `the bridge is attached to network ${n}` });
    }
    const reach = await view.bridgeFromHost;
    for (const r of reach) {
      if (r.probe?.connected) out.push({ found: `${r.address} via ${r.route}: ${describeProbe(r.probe)}`, expected: 'no connection', message: `the host reaches the bridge on port ${bridge.port}` });
    }
    const said = reach.map((r) => (r.route ? `${r.address} via ${r.route}: ${r.probe ? describeProbe(r.probe) : 'not probed'}` : `${r.address}: no route from the host`));
    return verdict(out, `no published port; ${said.join('; ') || 'the bridge has no address'}`);
  },
});
