import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { isObject } from '../../src/verify/compose';
import { networks, type NetworkKey } from '../../src/stack/model';

const INHIBIT = 'com.docker.network.bridge.inhibit_ipv4';

export default defineCheck({
  id: 'C.16',
  control: 'C',
  title: 'The internal networks are really internal',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'The gateway <-> bridge and bridge <-> socket proxy networks carry bearer tokens and exec calls. `internal: true` gives them no route off the host; inhibit_ipv4 gives the host side no address, so host services are not reachable from them either.',
  remediation: `Declare ${(Object.keys(networks) as NetworkKey[]).filter((k) => networks[k].internal).map((k) => networks[k].name).join(' and ')} with internal: true and driver_opts ${INHIBIT}: "true".`,
  run(ctx) {
    const compose = ctx.files.compose();
    const defs = isObject(compose.data.networks) ? compose.data.networks : {};
    const out: Evidence[] = [];
    for (const key of (Object.keys(networks) as NetworkKey[]).filter((k) => networks[k].internal)) {
      const ck = Object.keys(defs).find((n) => compose.networkKey(n) === key);
      if (!ck) {
        out.push(compose.at(['networks'], { found: 'absent', expected: networks[key].name, message: `network ${networks[key].name} is not declared` }));
        continue;
      }
      const def = isObject(defs[ck]) ? defs[ck] : {};
      if (def.internal !== true && def.internal !== 'true') out.push(compose.at(['networks', ck, 'internal'], { found: JSON.stringify(def.internal ?? 'absent'), expected: 'true', message: `network ${networks[key].name} is not internal: it routes off the host` }));
      if (def.external === true) out.push(compose.at(['networks', ck, 'external'], { found: 'true', expected: 'a network this project creates', message: `network ${networks[key].name} is external: its settings are not in this file` }));
      const opts = isObject(def.driver_opts) ? def.driver_opts : {};
      if (String(opts[INHIBIT]) !== 'true') out.push(compose.at(['networks', ck, 'driver_opts'], { found: JSON.stringify(opts[INHIBIT] ?? 'absent'), expected: `${INHIBIT}: "true"`, message: `network ${networks[key].name} gives the host side an IPv4 address` }));
    }
    return verdict(out, 'internal networks have no route off the host');
  },
});
