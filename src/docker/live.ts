// The live view of a running stack, built once per `oss verify`: one batched inspect of
// every container and network, then every probe group started at once, in parallel
// (host side, from the gateway, from the bridge). Checks await the group they need.
import { readFileSync } from 'node:fs';
import { createServer, isIPv4, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { bridge, gateway, networks, routes, serviceKeys, services, socketProxy, DOCKER_API_VERSION, execCreateBody, type ServiceKey } from '../stack/model';
import type { Settings } from '../stack/settings';
import { engineStatus, runDocker, type DockerRunner } from './engine';
import { inspectContainers, inspectNetworks, type ContainerInspect, type NetworkInspect } from './inspect';
import { probeFrom, probeHere, type HttpProbe, type Probe, type ProbeResult } from './probe';

export interface GatewayTools {
  /** docker executables found on the gateway's PATH or usual dirs */
  dockerBinaries: string[];
  /** a Docker socket file inside the gateway */
  socketFiles: string[];
  /** DOCKER_HOST set in the gateway's environment */
  dockerHost: boolean;
}

export interface RouteCall {
  name: 'healthz' | 'noToken' | 'select' | 'update' | 'deploy' | 'emptyPrompt';
  description: string;
  result: ProbeResult;
}

export interface DockerView {
  engine: string;
  settings: Settings;
  containers: Map<string, ContainerInspect | null>;
  networks: Map<string, NetworkInspect | null>;
  /** non-loopback addresses of this host */
  hostAddresses: string[];
  container(key: ServiceKey): ContainerInspect | null;
  gatewayFromHost: Promise<{ loopback: ProbeResult; others: ProbeResult[] }>;
  gatewayFromBridge: Promise<ProbeResult>;
  gatewayTools: Promise<GatewayTools>;
  bridgeFromHost: Promise<HostReach[]>;
  bridgeCalls: Promise<RouteCall[]>;
  proxyFromBridge: Promise<{ ping: ProbeResult; forbidden: ProbeResult[] }>;
  hostFromInternal: Promise<{ listenerFromHost: ProbeResult; probes: ProbeResult[] }>;
}

export class StackNotRunning extends Error {}

/** can the host reach a container address? route = the local Docker bridge it goes out on */
export interface HostReach {
  address: string;
  /** null: the host has no route onto a local Docker bridge for it (nothing was sent) */
  route: string | null;
  probe: ProbeResult | null;
}

interface Route {
  iface: string;
  dest: number;
  mask: number;
  gateway: number;
}

/** the IPv4 routing table (/proc/net/route; addresses little-endian hex) */
export function readRoutes(text?: string): Route[] {
  let t = text;
  if (t === undefined) {
    try {
      t = readFileSync('/proc/net/route', 'utf8');
    } catch {
      return [];
    }
  }
  const le = (h: string) => Number.parseInt(h.match(/../g)!.reverse().join(''), 16) >>> 0;
  return t.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 8)
    .map((f) => ({ iface: f[0]!, dest: le(f[1]!), gateway: le(f[2]!), mask: le(f[7]!) }));
}

const ipNum = (ip: string) => ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);

/** the local Docker bridge interface a packet to ip would leave on, or null (off-host or no route) */
export function dockerLinkRoute(ip: string, table: Route[]): string | null {
  if (!isIPv4(ip)) return null;
  const n = ipNum(ip);
  const best = table
    .filter((r) => ((n & r.mask) >>> 0) === r.dest)
    .sort((a, b) => b.mask.toString(2).split('1').length - a.mask.toString(2).split('1').length)[0];
  if (!best || best.gateway !== 0) return null;
  return /^(docker[0-9]+|br-[0-9a-f]{12}|oss-|openclaw)/.test(best.iface) ? best.iface : null;
}

/** marker a SELECT must bring back through the whole chain */
export const SELECT_MARKER = 'oss_live_probe';

export function hostAddressList(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') out.push(a.address);
      else if (!a.address.toLowerCase().startsWith('fe80')) out.push(a.address);
    }
  }
  return [...new Set(out)];
}


/** the forbidden calls probed from the bridge's network position (a subset of the proxy e2e test) */
export function forbiddenProxyCalls(): HttpProbe[] {
  const v = `/${DOCKER_API_VERSION}`;
  const [first] = routes;
  const body = execCreateBody(first!);
  const json = { 'Content-Type': 'application/json' };
  const at = (id: string, method: string, target: string, extra: Partial<HttpProbe> = {}): HttpProbe => ({
    id, kind: 'http', host: socketProxy.host, port: socketProxy.port, method, target, timeoutMs: 8000, ...extra,
  });
  const worker = services[first!.worker].containerName;
  return [
    at('list containers', 'GET', `${v}/containers/json`),
    at('create a container', 'POST', `${v}/containers/create`, { body: '{"Image":"x"}', headers: json }),
    at('exec into the gateway', 'POST', `${v}/containers/${services.gateway.containerName}/exec`, { body, headers: json }),
    at('exec into the socket proxy', 'POST', `${v}/containers/${services['socket-proxy'].containerName}/exec`, { body, headers: json }),
    at('exec into the bridge', 'POST', `${v}/containers/${services.bridge.containerName}/exec`, { body, headers: json }),
    at('another command in a worker', 'POST', `${v}/containers/${worker}/exec`, {
      body: JSON.stringify({ AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false, Cmd: ['sh', '-c', 'id'] }), headers: json,
    }),
    at('percent-encoded path', 'POST', `${v}/containers/${services.gateway.containerName.replace('-', '%2D')}/exec`, { body, headers: json }),
    at('dot segments', 'POST', `${v}/containers/${worker}/../${services.gateway.containerName}/exec`, { body, headers: json }),
    at('list images', 'GET', `${v}/images/json`),
    at('list volumes', 'GET', `${v}/volumes`),
    at('list networks', 'GET', `${v}/networks`),
    at('read a container archive', 'GET', `${v}/containers/${worker}/archive?path=/`),
    at('export a container', 'GET', `${v}/containers/${worker}/export`),
    at('unpinned exec start', 'POST', `${v}/exec/${'0'.repeat(64)}/start`, { body: '{"Detach":true,"Tty":false}', headers: json }),
  ];
}

/** refused = answered 400/403 by the proxy (no engine Api-Version header) or dropped unanswered */
export function refusedByProxy(r: ProbeResult): boolean {
  if (!r.connected || r.error !== undefined) return false;
  if (r.status === undefined) return true;
  return (r.status === 400 || r.status === 403) && r.headers?.['api-version'] === undefined;
}

function listen0(): Promise<{ port: number; close: () => void }> {
  return new Promise((resolve, reject) => {
    const srv = createServer((s) => s.destroy());
    srv.on('error', reject);
    srv.listen(0, '0.0.0.0', () => resolve({ port: (srv.address() as AddressInfo).port, close: () => srv.close() }));
  });
}

const GATEWAY_TOOLS_SCRIPT = [
  'for d in $(echo "$PATH" | tr ":" " ") /usr/bin /usr/local/bin /bin /usr/sbin /usr/local/sbin /usr/libexec/docker/cli-plugins; do',
  '  for b in docker dockerd docker-compose; do [ -x "$d/$b" ] && echo "bin $d/$b"; done; done',
  'for s in /var/run/docker.sock /run/docker.sock /run/containerd/containerd.sock; do [ -S "$s" ] && echo "sock $s"; done',
  '[ -n "${DOCKER_HOST:-}" ] && echo "env DOCKER_HOST"; exit 0',
].join('\n');

export async function buildDockerView(settings: Settings, run: DockerRunner = runDocker): Promise<DockerView> {
  const status = await engineStatus(run);
  if (!status.ok) throw new StackNotRunning(`no Docker engine: ${status.detail}`);
  const names = serviceKeys.map((k) => services[k].containerName);
  const [containers, nets] = await Promise.all([
    inspectContainers(names, run),
    inspectNetworks(Object.values(networks).map((n) => n.name), run),
  ]);
  if ([...containers.values()].every((c) => c === null)) throw new StackNotRunning('the stack is not running (no container of it exists); start it with `oss up`');
  const container = (k: ServiceKey) => containers.get(services[k].containerName) ?? null;
  const running = (k: ServiceKey) => container(k)?.State.Running === true;
  const need = (k: ServiceKey) => {
    if (!running(k)) throw new Error(`container ${services[k].containerName} is not running`);
    return services[k].containerName;
  };
  const hostAddresses = hostAddressList();
  const port = settings.gateway.port;

  const gatewayFromHost = (async () => {
    const probes: Probe[] = [
      { id: '127.0.0.1', kind: 'http', host: gateway.publishAddress, port, method: 'GET', target: '/health', timeoutMs: 3000 },
      ...hostAddresses.map((a): Probe => ({ id: a, kind: 'tcp', host: a, port, timeoutMs: 1500 })),
    ];
    const [loopback, ...others] = await probeHere(probes);
    return { loopback: loopback!, others };
  })();

  const bridgeHttp = (id: string, method: string, target: string, extra: Partial<HttpProbe> = {}): HttpProbe => ({
    id, kind: 'http', host: bridge.host, port: bridge.port, method, target, timeoutMs: 20_000, ...extra,
  });
  const auth = { bearerFile: bridge.tokenFile, headers: { 'Content-Type': 'application/json' } };
  const calls: { name: RouteCall['name']; description: string; probe: HttpProbe }[] = [
    { name: 'healthz', description: 'GET /healthz answers 200', probe: bridgeHttp('healthz', 'GET', '/healthz') },
    { name: 'noToken', description: 'a call without the token is refused with 401', probe: bridgeHttp('noToken', 'POST', '/deploy-staging', { body: '{}', headers: { 'Content-Type': 'application/json' } }) },
    { name: 'select', description: 'a SELECT round-trips to the database', probe: bridgeHttp('select', 'POST', '/query-readonly', { ...auth, body: JSON.stringify({ query: `SELECT 1 AS ${SELECT_MARKER}` }) }) },
    { name: 'update', description: 'an UPDATE is rejected', probe: bridgeHttp('update', 'POST', '/query-readonly', { ...auth, body: JSON.stringify({ query: `UPDATE ${SELECT_MARKER} SET x = 1` }) }) },
    { name: 'deploy', description: 'the zero-argument staging deploy runs', probe: bridgeHttp('deploy', 'POST', '/deploy-staging', { ...auth, body: '{}' }) },
    { name: 'emptyPrompt', description: 'an empty prompt is rejected', probe: bridgeHttp('emptyPrompt', 'POST', '/run-codex', { ...auth, body: JSON.stringify({ prompt: '' }) }) },
  ];
  const bridgeCalls = (async () => {
    const results = await probeFrom(need('gateway'), calls.map((c) => c.probe), run);
    return calls.map((c, i) => ({ name: c.name, description: c.description, result: results[i]! }));
  })();

  const gatewayTools = (async (): Promise<GatewayTools> => {
    const r = await run(['exec', need('gateway'), 'sh', '-c', GATEWAY_TOOLS_SCRIPT], { timeoutMs: 15_000 });
    if (r.exitCode !== 0) throw new Error(`cannot look inside the gateway: ${r.stderr.trim().slice(0, 200)}`);
    const lines = r.stdout.split('\n');
    return {
      dockerBinaries: [...new Set(lines.filter((l) => l.startsWith('bin ')).map((l) => l.slice(4)))],
      socketFiles: lines.filter((l) => l.startsWith('sock ')).map((l) => l.slice(5)),
      dockerHost: lines.includes('env DOCKER_HOST'),
    };
  })();

  // everything probed from the bridge goes in ONE docker exec (one node start)
  const bridgeIps = Object.values(container('bridge')?.NetworkSettings.Networks ?? {}).map((n) => n.IPAddress).filter(Boolean);
  const listener = listen0();
  const fromBridge = (async () => {
    const l = await listener;
    const gatewayProbe: Probe = { id: 'gateway', kind: 'http', host: services.gateway.containerName, port: gateway.containerPort, method: 'GET', target: '/health', timeoutMs: 5000 };
    const ping: Probe = { id: 'ping', kind: 'http', host: socketProxy.host, port: socketProxy.port, method: 'GET', target: '/_ping', timeoutMs: 5000 };
    const netGateways = services.bridge.networks.flatMap((k) => (nets.get(networks[k].name)?.IPAM.Config ?? []).map((c) => c.Gateway ?? '')).filter(Boolean);
    const hostTargets = [...new Set([...hostAddresses.filter((a) => !a.includes(':')), ...netGateways])];
    const hostProbes: Probe[] = hostTargets.map((a) => ({ id: `host ${a}`, kind: 'tcp', host: a, port: l.port, timeoutMs: 1000 }));
    const forbidden = forbiddenProxyCalls();
    try {
      const all = await probeFrom(need('bridge'), [gatewayProbe, ping, ...forbidden, ...hostProbes], run);
      const [gw, pg] = all;
      return { gateway: gw!, ping: pg!, forbidden: all.slice(2, 2 + forbidden.length), host: all.slice(2 + forbidden.length) };
    } finally {
      l.close();
    }
  })();
  const hostFromInternal = (async () => {
    const l = await listener;
    const [listenerFromHost] = await probeHere([{ id: 'listener on 127.0.0.1', kind: 'tcp', host: '127.0.0.1', port: l.port, timeoutMs: 1500 }]);
    const r = await fromBridge;
    return { listenerFromHost: listenerFromHost!, probes: r.host };
  })();

  // Only addresses the host routes onto one of its own Docker bridges are probed: without
  // such a route a packet would leave the machine through the default gateway, and the
  // absence of the route is itself the proof (inhibit_ipv4 leaves the host no address there).
  const bridgeFromHost = (async (): Promise<HostReach[]> => {
    const table = readRoutes();
    const local = bridgeIps.map((ip) => ({ ip, iface: dockerLinkRoute(ip, table) }));
    const probed = await probeHere(local.filter((l) => l.iface).map((l): Probe => ({ id: l.ip, kind: 'tcp', host: l.ip, port: bridge.port, timeoutMs: 1500 })));
    return local.map((l) => ({ address: `${l.ip}:${bridge.port}`, route: l.iface ?? null, probe: probed.find((p) => p.id === l.ip) ?? null }));
  })();

  const view: DockerView = {
    engine: status.detail,
    settings,
    containers,
    networks: nets,
    hostAddresses,
    container,
    gatewayFromHost,
    gatewayFromBridge: fromBridge.then((r) => r.gateway),
    gatewayTools,
    bridgeFromHost,
    bridgeCalls,
    proxyFromBridge: fromBridge.then((r) => ({ ping: r.ping, forbidden: r.forbidden })),
    hostFromInternal,
  };
  // a group nobody awaits must not become an unhandled rejection
  for (const p of [gatewayFromHost, bridgeCalls, gatewayTools, fromBridge, hostFromInternal, bridgeFromHost, view.gatewayFromBridge, view.proxyFromBridge]) {
    (p as Promise<unknown>).catch(() => {});
  }
  return view;
}

/** "2g" / "256m" / "512k" -> bytes, as the engine stores HostConfig.Memory */
export function memoryBytes(spec: string): number {
  const m = /^([0-9]+)([kmg])$/.exec(spec);
  if (!m) return Number.NaN;
  return Number(m[1]) * 1024 ** ({ k: 1, m: 2, g: 3 } as const)[m[2] as 'k' | 'm' | 'g'];
}

export function isLoopbackIp(ip: string): boolean {
  return /^127\./.test(ip) || ip === '::1';
}

/** a probe in words, for evidence */
export function describeProbe(r: ProbeResult): string {
  if (r.status !== undefined) return `HTTP ${r.status}`;
  if (r.connected) return r.error ? `connected, then ${r.error}` : 'connected (no HTTP answer)';
  return `no connection (${r.error ?? 'closed'})`;
}
