import { defineCheck, verdict } from '../../src/verify/check';
import { atOpenclaw, getPath, show } from '../../src/verify/check-helpers';
import { gateway } from '../../src/stack/model';
import type { Json } from '../../src/verify/compose';

export default defineCheck({
  id: '1.3',
  control: 1,
  title: `Gateway listens on its container interface (bind "${gateway.bindInContainer}") on port ${gateway.containerPort}`,
  severity: 'medium',
  needs: ['files'],
  rationale:
    'Unset `gateway.bind` means "auto": inside a container the gateway listens on all interfaces while its audit reports loopback. In the container it must bind "lan" so the loopback-published port reaches it, and nothing else decides the exposure.',
  remediation: `Set gateway.bind to "${gateway.bindInContainer}" and gateway.port to ${gateway.containerPort} in openclaw.json (\`oss harden\` or \`openclaw config set gateway.bind ${gateway.bindInContainer}\` in the container).`,
  run(ctx) {
    const src = ctx.files.openclaw();
    const bind = getPath(src.data, ['gateway', 'bind']);
    const port = getPath(src.data, ['gateway', 'port']);
    const out = [];
    if (bind !== gateway.bindInContainer) {
      out.push(atOpenclaw(src, ['gateway', 'bind'], { found: show(bind as Json), expected: JSON.stringify(gateway.bindInContainer), message: 'gateway.bind is not the container interface' }));
    }
    if (port !== undefined && port !== gateway.containerPort) {
      out.push(atOpenclaw(src, ['gateway', 'port'], { found: show(port as Json), expected: String(gateway.containerPort), message: 'gateway.port differs from the port compose publishes' }));
    }
    return verdict(out, `gateway.bind is ${gateway.bindInContainer}`);
  },
});
