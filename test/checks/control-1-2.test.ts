import { afterAll, describe, expect, test } from 'vitest';
import { expectAllPass, expectCaught, type Mutation } from './harness';
import { cleanupStacks, editOpenclaw, hardenedStack, override, replaceOnce, write } from '../verify/fixture';

afterAll(cleanupStacks);
const C = 'docker-compose.yml';
const OV = 'docker-compose.override.yml';
const gwPort = (to: string) => (d: string) => replaceOnce(d, C, '"127.0.0.1:8080:18789"', to);

test('the hardened render passes every static check', async () => {
  const report = await expectAllPass(hardenedStack());
  expect(report.summary.pass).toBe(report.summary.total);
  expect(report.summary.pass).toBeGreaterThanOrEqual(44);
});

describe('valid variants stay green', () => {
  const valid: [string, (d: string) => void][] = [
    ['IPv6 loopback short syntax', gwPort('"[::1]:8080:18789"')],
    ['long syntax with host_ip', gwPort('{ target: 18789, published: 8080, host_ip: 127.0.0.1 }')],
    ['an override that only adds labels', (d) => override(d, 'services:\n  gateway:\n    labels: { team: ops }\n')],
  ];
  test.each(valid)('%s', async (_n, mutate) => {
    const d = hardenedStack();
    mutate(d);
    await expectAllPass(d);
  });
});

const cases: [string, Mutation][] = [
  ['1.1', { name: 'short syntax without address', mutate: gwPort('"8080:18789"'), evidence: { file: C, path: 'services.gateway.ports[0]', line: 'any', message: /all interfaces/ } }],
  ['1.1', { name: '0.0.0.0 address', mutate: gwPort('"0.0.0.0:8080:18789"'), evidence: { file: C, found: '"0.0.0.0:8080:18789"' } }],
  ['1.1', { name: 'IPv6 any address', mutate: gwPort('"[::]:8080:18789"'), evidence: { file: C, message: /on ::/ } }],
  ['1.1', { name: 'container port only', mutate: gwPort('"18789"'), evidence: { path: 'services.gateway.ports[0]' }, alsoFails: ['1.2'] }],
  ['1.1', { name: 'port range on the bridge (override)', mutate: (d) => override(d, 'services:\n  bridge:\n    ports: ["8000-8010:8000-8010"]\n'), evidence: { file: OV, line: 3, path: 'services.bridge.ports[0]' }, alsoFails: ['1.2', '9.1'] }],
  ['1.1', { name: 'long syntax without host_ip (override)', mutate: (d) => override(d, 'services:\n  gateway:\n    ports:\n      - target: 18789\n        published: 8081\n'), evidence: { file: OV, path: 'services.gateway.ports[1]', line: 4 }, alsoFails: ['1.2'] }],
  ['1.1', { name: 'network_mode host', mutate: (d) => override(d, 'services:\n  deploy-runner:\n    network_mode: host\n'), evidence: { file: OV, path: 'services.deploy-runner.network_mode' }, alsoFails: ['C.6', 'C.18'] }],
  [
    '1.1',
    {
      name: 'extra compose file named by COMPOSE_FILE in .env',
      mutate: (d) => {
        write(d, '.env', 'COMPOSE_FILE=docker-compose.yml:extra/ports.yaml\n');
        require('node:fs').mkdirSync(`${d}/extra`);
        write(d, 'extra/ports.yaml', 'services:\n  gateway:\n    ports: ["${PUBLISH:-0.0.0.0}:9000:18789"]\n');
      },
      evidence: { file: 'extra/ports.yaml', found: '"0.0.0.0:9000:18789"' },
      alsoFails: ['1.2'],
    },
  ],
  ['1.2', { name: 'socket proxy publishes its port on loopback', mutate: (d) => override(d, 'services:\n  socket-proxy:\n    ports: ["127.0.0.1:2375:2375"]\n'), evidence: { file: OV, path: 'services.socket-proxy.ports[0]', message: /publishes a host port/ } }],
  ['1.2', { name: 'gateway publishes another port than oss.yaml says', mutate: gwPort('"127.0.0.1:9999:18789"'), evidence: { found: '"127.0.0.1:9999:18789"', expected: '127.0.0.1:8080:18789' } }],
  ['1.3', { name: 'gateway.bind auto', mutate: (d) => editOpenclaw(d, (o) => (o.gateway.bind = 'auto')), evidence: { file: 'gateway/config/openclaw.json', path: 'gateway.bind', line: 4, found: '"auto"' } }],
  ['1.3', { name: 'gateway.bind unset', mutate: (d) => editOpenclaw(d, (o) => delete o.gateway.bind), evidence: { path: 'gateway.bind', found: 'absent' } }],
  ['1.4', { name: 'remote Control UI origin', mutate: (d) => editOpenclaw(d, (o) => o.gateway.controlUi.allowedOrigins.push('https://ops.example.com')), evidence: { path: 'gateway.controlUi.allowedOrigins[4]', found: '"https://ops.example.com"' } }],
  ['1.4', { name: 'wildcard origin', mutate: (d) => editOpenclaw(d, (o) => (o.gateway.controlUi.allowedOrigins = ['*'])), evidence: { found: '"*"', line: 'any' } }],
  ['2.1', { name: 'docker.sock on the gateway (short syntax)', mutate: (d) => override(d, 'services:\n  gateway:\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]\n'), evidence: { file: OV, path: 'services.gateway.volumes[5]', message: /container engine socket/ } }],
  ['2.1', { name: '/run on the bridge (long syntax bind)', mutate: (d) => override(d, 'services:\n  bridge:\n    volumes:\n      - type: bind\n        source: /run\n        target: /host-run\n'), evidence: { file: OV, message: /runtime directory/ } }],
  ['2.1', { name: 'host root via a named volume with driver_opts', mutate: (d) => override(d, 'volumes:\n  hostroot:\n    driver_opts: { type: none, o: bind, device: / }\nservices:\n  codex-worker:\n    volumes: ["hostroot:/host"]\n'), evidence: { message: /host root filesystem \(\/\) via volume "hostroot"/ } }],
  ['2.1', { name: 'socket by a dotted path', mutate: (d) => override(d, 'services:\n  db-query-runner:\n    volumes: ["/var/lib/../run/docker.sock:/s"]\n'), evidence: { message: /container engine socket \(\/var\/run\/docker.sock\)/ } }],
  ['2.1', { name: 'socket proxy holds the socket read-write', mutate: (d) => replaceOnce(d, C, '/var/run/docker.sock:/var/run/docker.sock:ro', '/var/run/docker.sock:/var/run/docker.sock'), evidence: { path: 'services.socket-proxy.volumes[0]', message: /read-write/ } }],
  ['2.1', { name: 'volumes_from', mutate: (d) => override(d, 'services:\n  gateway:\n    volumes_from: [socket-proxy]\n'), evidence: { path: 'services.gateway.volumes_from' } }],
  ['2.2', { name: 'docker CLI in the gateway image', mutate: (d) => replaceOnce(d, 'gateway/Dockerfile', /^USER /m, 'RUN apt-get install -y docker.io\nUSER '), evidence: { file: 'gateway/Dockerfile', found: 'docker.io', line: 'any' } }],
];

describe.each(cases)('%s catches', (id, m) => {
  test(m.name, async () => {
    await expectCaught(id, m);
  });
});
