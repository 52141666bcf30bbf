import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { asList, dangerousHostPath, isObject, normalizeHostPath, parseMount } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { services, socketProxy, type ServiceKey } from '../../src/stack/model';

const socketHolders = (Object.keys(services) as ServiceKey[]).filter((k) => services[k].holdsDockerSocket);

export default defineCheck({
  id: '2.1',
  control: 2,
  title: 'Only the socket proxy mounts the Docker socket; nothing mounts /, /run or /var/run',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'The Docker socket is root on the host. Only the socket proxy may hold it (read-only), and it forwards nothing but the bridge\'s fixed exec calls. The gateway runs an LLM that must be treated as adversarial: a socket (or a host directory that contains one) in reach of it is a host takeover.',
  remediation: `Remove the mount from the service (short or long syntax, bind or a named volume whose driver_opts bind a host path). Only ${socketHolders.join(', ')} may mount ${socketProxy.dockerSocket}, read-only.`,
  run: (ctx) =>
    verdict(
      eachService(ctx, (s, compose) => {
        const out: Evidence[] = [];
        const mayHoldSocket = s.key !== undefined && services[s.key].holdsDockerSocket;
        const topVolumes = isObject(compose.data.volumes) ? compose.data.volumes : {};
        if (s.svc.volumes_from !== undefined) {
          out.push(s.at(['volumes_from'], { found: show(s.svc.volumes_from), expected: 'absent', message: `service ${s.name} imports another container's mounts (volumes_from)` }));
        }
        asList(s.svc.volumes).forEach((entry, i) => {
          const m = parseMount(entry);
          if ('error' in m) {
            out.push(s.at(['volumes', i], { found: show(entry), expected: 'a volume mount', message: `service ${s.name}: ${m.error}` }));
            return;
          }
          let hostPath: string | null = m.type === 'bind' ? m.source : null;
          let via = '';
          if (m.type === 'volume' && m.source) {
            // a named volume can be a bind in disguise: driver_opts {type: none, o: bind, device: /path}
            const def = topVolumes[m.source];
            const opts = isObject(def) && isObject(def.driver_opts) ? def.driver_opts : null;
            if (opts && typeof opts.device === 'string') {
              hostPath = opts.device;
              via = ` via volume "${m.source}" (driver_opts.device)`;
            }
          }
          if (!hostPath) return;
          const why = dangerousHostPath(hostPath);
          if (!why) return;
          const isExactSocket = normalizeHostPath(hostPath) === socketProxy.dockerSocket || normalizeHostPath(hostPath) === '/run/docker.sock';
          if (mayHoldSocket && isExactSocket && m.readOnly) return;
          out.push(
            s.at(['volumes', i], {
              found: show(entry),
              expected: mayHoldSocket ? `${socketProxy.dockerSocket}:${socketProxy.dockerSocket}:ro only` : 'no host runtime or root path',
              message: `service ${s.name} mounts ${why} (${normalizeHostPath(hostPath)})${via}${mayHoldSocket && isExactSocket ? ' read-write' : ''}`,
            }),
          );
        });
        return out;
      }),
      'no service but the socket proxy can reach the Docker socket',
    ),
});
