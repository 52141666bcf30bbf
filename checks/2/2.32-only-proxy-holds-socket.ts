import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { socketMounts } from '../../src/docker/inspect';
import { serviceKeys, services } from '../../src/stack/model';

export default defineCheck({
  id: '2.32',
  control: 2,
  title: 'Only the socket proxy holds the Docker socket, read-only',
  severity: 'critical',
  needs: ['docker'],
  rationale: 'The original gave the bridge the raw socket: code execution in the bridge was root on the host. Now the socket proxy is the only container with the socket, and it lets through only the pinned exec calls.',
  remediation: `Mount the socket only into ${services['socket-proxy'].containerName} (":ro"), remove it from every other service, then \`oss up\`.`,
  async run({ live }) {
    const view = await dockerView(live);
    const out: Evidence[] = [];
    for (const key of serviceKeys) {
      const c = view.container(key);
      if (!c) continue;
      const name = services[key].containerName;
      for (const m of socketMounts(c)) {
        if (!services[key].holdsDockerSocket) out.push({ path: `${name}.Mounts`, found: `${m.Source ?? m.Name} -> ${m.Destination}`, expected: 'no Docker socket', message: `${name} mounts the Docker socket` });
        else if (m.RW) out.push({ path: `${name}.Mounts`, found: `${m.Destination} read-write`, expected: 'read-only (:ro)', message: `${name} mounts the socket read-write` });
      }
    }
    return verdict(out, `the socket is mounted only in ${services['socket-proxy'].containerName}, read-only`);
  },
});
