import { defineCheck, verdict } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { describeProbe } from '../../src/docker/live';
import { gateway, services } from '../../src/stack/model';

export default defineCheck({
  id: '1.32',
  control: 1,
  title: 'The gateway answers from another container of the stack',
  severity: 'medium',
  needs: ['docker', 'network'],
  rationale: 'The original verified the gateway from a neighbour container too: with `--bind loopback` inside the container the published port and every neighbour would get nothing, and the agent would be unreachable.',
  remediation: `Run the gateway with --bind ${gateway.bindInContainer} (rendered by oss init) and keep it on the internal network.`,
  async run({ live }) {
    const r = await (await dockerView(live)).gatewayFromBridge;
    return verdict(
      r.status === 200 ? [] : [{ found: describeProbe(r), expected: 'HTTP 200', message: `GET http://${services.gateway.containerName}:${gateway.containerPort}/health from ${services.bridge.containerName} did not answer 200` }],
      `GET /health from ${services.bridge.containerName}: HTTP 200`,
    );
  },
});
