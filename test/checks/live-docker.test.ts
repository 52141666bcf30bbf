// The docker live checks against a synthetic view: a hardened stack passes every one of
// them; each mutation fails the named check. The real-engine proof is test/e2e/stack.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { checks } from '../../checks/index';
import type { CheckContext } from '../../src/verify/check';
import type { DockerView } from '../../src/docker/live';
import { defaultSettings } from '../../src/stack/settings';
import { services } from '../../src/stack/model';
import { healthyView } from '../docker/fake-view';
import { dockerLinkRoute, readRoutes } from '../../src/docker/live';

const liveIds = ['1.31', '1.32', '2.31', '2.32', '9.31', '9.32', '9.33', '9.34', 'C.31', 'C.32', 'C.33'];

async function runCheck(id: string, view: DockerView) {
  const check = checks.find((c) => c.id === id)!;
  expect(check, id).toBeDefined();
  const ctx = { dir: '/nonexistent', settings: defaultSettings(), files: {} as CheckContext['files'], live: { docker: async () => view } } as CheckContext;
  return check.run(ctx);
}

const gw = (v: DockerView) => v.container('gateway')!;
const http = (id: string, status: number, body = '', headers: Record<string, string> = {}) => ({ id, connected: true, status, body, headers, ms: 1 });

const mutations: [string, string, (v: DockerView) => void, RegExp][] = [
  ['1.31', 'gateway published on 0.0.0.0', (v) => { gw(v).NetworkSettings.Ports = { '18789/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] }; }, /published on 0\.0\.0\.0/],
  ['1.31', 'gateway answers on another host address', (v) => { v.gatewayFromHost = Promise.resolve({ loopback: http('127.0.0.1', 200), others: [{ id: '10.0.0.5', connected: true, ms: 1 }] }); }, /10\.0\.0\.5/],
  ['1.31', 'gateway does not answer on loopback', (v) => { v.gatewayFromHost = Promise.resolve({ loopback: { id: '127.0.0.1', connected: false, error: 'ECONNREFUSED', ms: 1 }, others: [] }); }, /does not answer/],
  ['1.32', 'gateway unreachable from the bridge', (v) => { v.gatewayFromBridge = Promise.resolve({ id: 'gateway', connected: false, error: 'ECONNREFUSED', ms: 1 }); }, /did not answer 200/],
  ['2.31', 'socket mounted into the gateway', (v) => { gw(v).Mounts.push({ Type: 'bind', Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', RW: true }); }, /mounts a Docker socket/],
  ['2.31', 'docker CLI in the gateway image', (v) => { v.gatewayTools = Promise.resolve({ dockerBinaries: ['/usr/bin/docker'], socketFiles: [], dockerHost: false }); }, /\/usr\/bin\/docker/],
  ['2.32', 'socket mounted into the bridge', (v) => { v.container('bridge')!.Mounts.push({ Type: 'bind', Source: '/run/docker.sock', Destination: '/var/run/docker.sock', RW: true }); }, /openclaw-bridge mounts the Docker socket/],
  ['2.32', 'proxy mounts the socket read-write', (v) => { v.container('socket-proxy')!.Mounts[0]!.RW = true; }, /read-write/],
  ['9.31', 'bridge publishes a port', (v) => { v.container('bridge')!.NetworkSettings.Ports = { '8005/tcp': [{ HostIp: '127.0.0.1', HostPort: '18005' }] }; }, /publishes a host port/],
  ['9.31', 'host reaches the bridge', (v) => { v.bridgeFromHost = Promise.resolve([{ address: '172.30.0.3:8005', route: 'br-0123456789ab', probe: { id: '172.30.0.3', connected: true, ms: 1 } }]); }, /host reaches the bridge/],
  ['9.32', 'no token accepted', (v) => { v.bridgeCalls = v.bridgeCalls.then((cs) => cs.map((c) => (c.name === 'noToken' ? { ...c, result: http('noToken', 200, '{"ok":true}') } : c))); }, /no token/],
  ['9.32', 'UPDATE runs', (v) => { v.bridgeCalls = v.bridgeCalls.then((cs) => cs.map((c) => (c.name === 'update' ? { ...c, result: http('update', 200, '{"ok":true,"exit_code":0}') } : c))); }, /update/],
  ['9.32', 'SELECT does not round-trip', (v) => { v.bridgeCalls = v.bridgeCalls.then((cs) => cs.map((c) => (c.name === 'select' ? { ...c, result: http('select', 200, '{"ok":false,"exit_code":4}') } : c))); }, /select/],
  ['9.33', 'proxy lets a forbidden call through', (v) => { v.proxyFromBridge = Promise.resolve({ ping: http('ping', 200), forbidden: [http('list containers', 200, '[]', { 'api-version': '1.41' })] }); }, /let through: list containers/],
  ['9.33', 'proxy not reachable (probe proves nothing)', (v) => { v.proxyFromBridge = Promise.resolve({ ping: { id: 'ping', connected: false, error: 'ECONNREFUSED', ms: 1 }, forbidden: [] }); }, /_ping/],
  ['9.34', 'internal container reaches the host', (v) => { v.hostFromInternal = Promise.resolve({ listenerFromHost: { id: 'l', connected: true, ms: 1 }, probes: [{ id: 'host 172.17.0.1', connected: true, ms: 1 }] }); }, /reaches a host service at 172\.17\.0\.1/],
  ['9.34', 'internal network without inhibit_ipv4', (v) => { v.networks.get('openclaw-internal')!.Options = {}; }, /gives the host side an IPv4 address/],
  ['C.31', 'writable root filesystem', (v) => { v.container('deploy-runner')!.HostConfig.ReadonlyRootfs = false; }, /openclaw-deploy-runner: writable root/],
  ['C.31', 'capability added', (v) => { v.container('bridge')!.HostConfig.CapAdd = ['NET_ADMIN']; }, /capabilities added/],
  ['C.31', 'secret in the environment', (v) => { gw(v).Config.Env!.push('OPENAI_API_KEY=sk-x'); }, /OPENAI_API_KEY looks like a secret/],
  ['C.31', 'runs as root', (v) => { v.container('codex-worker')!.Config.User = ''; }, /runs as another user/],
  ['C.32', 'memory limit off', (v) => { gw(v).HostConfig.Memory = 0; }, /memory limit differs/],
  ['C.33', 'a container is missing', (v) => { v.containers.set(services['db-query-runner'].containerName, null); }, /does not exist/],
  ['C.33', 'a container is unhealthy', (v) => { v.container('bridge')!.State.Health = { Status: 'unhealthy' }; }, /not healthy/],
];

describe('routes: only addresses on a local Docker bridge are probed from the host', () => {
  const table = readRoutes([
    'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT',
    'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
    'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
    'br-97fd8324fa37\t000012AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
    'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  ].join('\n'));
  it.each([
    ['172.18.0.5', 'br-97fd8324fa37'],
    ['172.17.0.2', 'docker0'],
    ['172.19.0.2', null], // inhibit_ipv4 network: only the default route, off the machine
    ['192.0.2.7', null], // a neighbour on the LAN is never a target
  ])('%s -> %s', (ip, iface) => expect(dockerLinkRoute(ip, table)).toBe(iface));
});

describe('docker live checks (synthetic view)', () => {
  it.each(liveIds)('%s passes on a hardened, healthy stack', async (id) => {
    const r = await runCheck(id, healthyView());
    expect(r.status, JSON.stringify(r.evidence)).toBe('pass');
  });

  it.each(mutations)('%s fails when %s', async (id, _name, mutate, message) => {
    const v = healthyView();
    mutate(v);
    const r = await runCheck(id, v);
    expect(r.status).toBe('fail');
    expect(r.evidence.map((e) => `${e.message} ${e.found ?? ''}`).join('\n')).toMatch(message);
  });
});
