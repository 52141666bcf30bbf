import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { describeProbe, refusedByProxy } from '../../src/docker/live';
import { services } from '../../src/stack/model';

export default defineCheck({
  id: '9.33',
  control: 9,
  title: 'From the bridge, the socket proxy refuses everything but the pinned exec calls',
  severity: 'critical',
  needs: ['docker', 'network'],
  rationale: 'Whoever controls the bridge reaches the engine only through the proxy. Probed from the bridge itself: listing or creating containers, exec into the gateway, the proxy or the bridge, another command in a worker, encoded or dot-segment paths, images, volumes, networks, archive and export must all be refused before the engine sees them.',
  remediation: 'Re-render the proxy config with `oss init` (it is generated from the model; do not edit haproxy.cfg) and `oss up` to rebuild the proxy.',
  async run({ live }) {
    const { ping, forbidden } = await (await dockerView(live)).proxyFromBridge;
    const out: Evidence[] = [];
    if (ping.status !== 200) out.push({ found: describeProbe(ping), expected: 'HTTP 200', message: `GET /_ping through ${services['socket-proxy'].containerName} failed: the probe proves nothing without it` });
    for (const r of forbidden) {
      if (!refusedByProxy(r)) out.push({ found: `${describeProbe(r)}${r.headers?.['api-version'] ? ' from the engine' : ''}`, expected: 'refused by the proxy (403/400 or dropped)', message: `the proxy let through: ${r.id}` });
    }
    return verdict(out, `ping passes; ${forbidden.length} forbidden calls refused: ${forbidden.map((r) => r.id).join(', ')}`);
  },
});
