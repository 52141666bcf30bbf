// A DockerView as a healthy, hardened stack would produce it; tests mutate a copy.
import type { ContainerInspect, NetworkInspect } from '../../src/docker/inspect';
import type { DockerView, RouteCall } from '../../src/docker/live';
import { SELECT_MARKER } from '../../src/docker/live';
import type { ProbeResult } from '../../src/docker/probe';
import { RESTART_POLICY, logging, networks, serviceKeys, services, type ServiceKey } from '../../src/stack/model';
import { defaultSettings, resourcesFor } from '../../src/stack/settings';
import { memoryBytes } from '../../src/docker/live';

export function hardenedContainer(key: ServiceKey): ContainerInspect {
  const m = services[key];
  const settings = defaultSettings();
  const res = resourcesFor(settings, key);
  const [name, max] = RESTART_POLICY.split(':');
  return {
    Id: `${key}-id`,
    Name: `/${m.containerName}`,
    State: { Status: 'running', Running: true, Health: { Status: 'healthy' } },
    Config: { User: m.user, Env: ['PATH=/usr/bin', 'NODE_ENV=production'], Image: `oss/${m.containerName}`, Labels: {}, Healthcheck: null },
    HostConfig: {
      ReadonlyRootfs: true,
      Tmpfs: Object.fromEntries(Object.entries(m.tmpfs)),
      CapDrop: ['ALL'],
      CapAdd: null,
      SecurityOpt: ['no-new-privileges:true'],
      Memory: memoryBytes(res.memory),
      NanoCpus: Math.round(res.cpus * 1e9),
      PidsLimit: res.pids,
      Privileged: false,
      PortBindings: key === 'gateway' ? { '18789/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } : {},
      NetworkMode: 'openclaw-stack_default',
      RestartPolicy: { Name: name!, MaximumRetryCount: Number(max) },
      LogConfig: { Type: logging.driver, Config: { 'max-size': logging.maxSize, 'max-file': String(logging.maxFile) } },
      Binds: null,
      GroupAdd: null,
      Init: true,
      PidMode: '',
      IpcMode: 'private',
      UsernsMode: '',
      Devices: null,
    },
    Mounts: m.holdsDockerSocket ? [{ Type: 'bind', Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', RW: false }] : [],
    NetworkSettings: {
      Ports: key === 'gateway' ? { '18789/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] } : {},
      Networks: Object.fromEntries(m.networks.map((n, i) => [networks[n].name, { IPAddress: `172.30.${i}.${serviceKeys.indexOf(key) + 2}`, Aliases: null }])),
    },
  };
}

const http = (id: string, status: number, body = '', headers: Record<string, string> = {}): ProbeResult => ({ id, connected: true, status, body, headers, ms: 1 });
const refusedTcp = (id: string): ProbeResult => ({ id, connected: false, error: 'ECONNREFUSED', ms: 1 });

export function healthyView(): DockerView {
  const containers = new Map(serviceKeys.map((k) => [services[k].containerName, hardenedContainer(k)] as [string, ContainerInspect | null]));
  const nets = new Map<string, NetworkInspect | null>(
    Object.values(networks).map((n) => [n.name, { Name: n.name, Internal: n.internal, Options: (n.internal ? { 'com.docker.network.bridge.inhibit_ipv4': 'true' } : {}) as Record<string, string>, IPAM: { Config: [] }, Containers: {} }]),
  );
  const calls: RouteCall[] = [
    { name: 'healthz', description: 'healthz', result: http('healthz', 200, '{"ok":true}') },
    { name: 'noToken', description: 'no token', result: http('noToken', 401, '{"ok":false}') },
    { name: 'select', description: 'select', result: http('select', 200, JSON.stringify({ ok: true, exit_code: 0, stdout: `{"rows":[{"${SELECT_MARKER}":1}]}` })) },
    { name: 'update', description: 'update', result: http('update', 200, JSON.stringify({ ok: false, exit_code: 3 })) },
    { name: 'deploy', description: 'deploy', result: http('deploy', 200, JSON.stringify({ ok: true, exit_code: 0 })) },
    { name: 'emptyPrompt', description: 'empty prompt', result: http('emptyPrompt', 200, JSON.stringify({ ok: false, exit_code: 2 })) },
  ];
  const view: DockerView = {
    engine: '20.10.24',
    settings: defaultSettings(),
    containers,
    networks: nets,
    hostAddresses: ['10.0.0.5', '172.17.0.1'],
    container: (k) => containers.get(services[k].containerName) ?? null,
    gatewayFromHost: Promise.resolve({ loopback: http('127.0.0.1', 200), others: [refusedTcp('10.0.0.5'), refusedTcp('172.17.0.1')] }),
    gatewayFromBridge: Promise.resolve(http('gateway', 200)),
    gatewayTools: Promise.resolve({ dockerBinaries: [], socketFiles: [], dockerHost: false }),
    bridgeFromHost: Promise.resolve([{ address: '172.30.0.3:8005', route: null, probe: null }]),
    bridgeCalls: Promise.resolve(calls),
    proxyFromBridge: Promise.resolve({ ping: http('ping', 200, 'OK', { 'api-version': '1.41' }), forbidden: [http('list containers', 403), { id: 'unpinned exec start', connected: true, ms: 5000 }] }),
    hostFromInternal: Promise.resolve({ listenerFromHost: { id: 'listener', connected: true, ms: 1 }, probes: [{ id: 'host 10.0.0.5', connected: false, error: 'ENETUNREACH', ms: 1 }] }),
  };
  return view;
}
