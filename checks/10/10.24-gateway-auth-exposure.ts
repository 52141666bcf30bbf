import { defineCheck, verdict } from '../../src/verify/check';
import { diffValue, type Difference } from '../../src/openclaw/compare';
import { isOutcome, stateForCheck } from '../../src/openclaw/provider';
import { getPath } from '../../src/openclaw/state';
import { gatewayToolsAllow } from '../../src/stack/model';

const PATHS = ['gateway.mode', 'gateway.bind', 'gateway.port', 'gateway.auth', 'gateway.tools', 'gateway.controlUi.allowedOrigins'];

export default defineCheck({
  id: '10.24',
  control: 10,
  title: 'Gateway of the running OpenClaw: token by file reference, bind for its host, no tool exposed over HTTP',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'A plaintext gateway token in openclaw.json travels into every config backup; a bind of auto listens on all interfaces; gateway.tools.allow re-enables dangerous tools for HTTP callers of /tools/invoke.',
  remediation: `Run \`oss harden\` (gateway.auth.token = file secret reference, gateway.tools.allow = ${JSON.stringify(gatewayToolsAllow)}).`,
  async run(ctx) {
    const view = await stateForCheck(ctx);
    if (isOutcome(view)) return view;
    const diffs: Difference[] = [];
    for (const p of PATHS) diffValue(p, view.desired.exact[p], getPath(view.config, p), diffs);
    for (const [p, want] of Object.entries(view.desired.exact)) if (p.startsWith('secrets.')) diffValue(p, want, getPath(view.config, p), diffs);
    return verdict(
      diffs.map((d) => ({ file: view.configFile, path: d.field, found: d.found, expected: d.expected, message: 'the gateway differs from the model' })),
      `bind ${view.target.bind}, token by file reference, gateway.tools.allow ${JSON.stringify(gatewayToolsAllow)}`,
    );
  },
});
