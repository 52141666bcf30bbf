import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { socketMounts } from '../../src/docker/inspect';
import { services } from '../../src/stack/model';

export default defineCheck({
  id: '2.31',
  control: 2,
  title: 'The running gateway has no Docker socket, no docker CLI and no DOCKER_HOST',
  severity: 'critical',
  needs: ['docker'],
  rationale: 'A gateway that can reach the engine turns any prompt injection into root on the host. The running container is what counts: mounts as the engine reports them, and what is really inside it.',
  remediation: 'Remove every socket mount and DOCKER_HOST from the gateway service, build it from the rendered Dockerfile (no docker CLI), then `oss up`.',
  async run({ live }) {
    const view = await dockerView(live);
    const name = services.gateway.containerName;
    const c = view.container('gateway');
    if (!c) return verdict([{ message: `container ${name} does not exist`, expected: 'the gateway running (oss up)' }]);
    const out: Evidence[] = socketMounts(c).map((m) => ({ path: `${name}.Mounts`, found: `${m.Source ?? m.Name} -> ${m.Destination}`, expected: 'no Docker socket', message: 'the gateway mounts a Docker socket' }));
    const tools = await view.gatewayTools;
    for (const b of tools.dockerBinaries) out.push({ found: b, expected: 'no docker CLI', message: `the gateway image contains ${b}` });
    for (const s of tools.socketFiles) out.push({ found: s, expected: 'no socket file', message: `a Docker socket exists inside the gateway at ${s}` });
    if (tools.dockerHost) out.push({ path: `${name}.Config.Env`, found: 'DOCKER_HOST', expected: 'absent', message: 'the gateway has DOCKER_HOST set' });
    return verdict(out, 'no socket mount, no socket file, no docker binary, no DOCKER_HOST in the gateway');
  },
});
