import { afterAll, describe, test } from 'vitest';
import { expect } from 'vitest';
import { expectAllPass, expectCaught, verifyStatic, type Mutation } from './harness';
import { hardenedStack, read, write } from '../verify/fixture';
import { cleanupStacks, override, replaceOnce, secretValue } from '../verify/fixture';
import { operatorSecrets } from '../verify/fixture';

afterAll(cleanupStacks);
const C = 'docker-compose.yml';
const OV = 'docker-compose.override.yml';
const ov = (svc: string, body: string) => (d: string) => override(d, `services:\n  ${svc}:\n${body.replace(/^/gm, '    ')}\n`);

const cases: [string, Mutation][] = [
  ['C.1', { name: 'privileged bridge', mutate: ov('bridge', 'privileged: true'), evidence: { file: OV, line: 3, path: 'services.bridge.privileged' } }],
  ['C.2', { name: 'NET_ADMIN on the gateway', mutate: ov('gateway', 'cap_add: [NET_ADMIN]'), evidence: { file: OV, path: 'services.gateway.cap_add[0]', found: '"NET_ADMIN"' } }],
  ['C.3', { name: 'cap_drop reset by an override (!reset)', mutate: ov('gateway', 'cap_drop: !reset []'), evidence: { path: 'services.gateway.cap_drop', found: 'absent' } }],
  ['C.3', { name: 'cap_drop edited in the anchor', mutate: (d) => replaceOnce(d, C, 'cap_drop: [ALL]', 'cap_drop: [NET_RAW]'), evidence: { file: C, line: 8, path: 'services.socket-proxy.cap_drop' } }],
  ['C.4', { name: 'no-new-privileges turned off by an override', mutate: ov('codex-worker', 'security_opt: ["no-new-privileges:false"]'), evidence: { path: 'services.codex-worker.security_opt' } }],
  ['C.4', { name: 'security_opt replaced (!override)', mutate: ov('deploy-runner', 'security_opt: !override ["label=type:svirt_apache_t"]'), evidence: { file: OV, path: 'services.deploy-runner.security_opt', line: 3 } }],
  ['C.5', { name: 'seccomp=unconfined', mutate: ov('gateway', 'security_opt: ["seccomp=unconfined"]'), evidence: { path: 'services.gateway.security_opt[1]', file: OV } }],
  ['C.5', { name: 'apparmor:unconfined', mutate: ov('bridge', 'security_opt: ["apparmor:unconfined"]'), evidence: { found: '"apparmor:unconfined"' } }],
  ['C.6', { name: 'host pid', mutate: ov('gateway', 'pid: host'), evidence: { path: 'services.gateway.pid' } }],
  ['C.6', { name: 'host ipc, uts and userns', mutate: ov('bridge', 'ipc: host\nuts: host\nuserns_mode: host'), evidence: { path: 'services.bridge.userns_mode', file: OV, line: 5 } }],
  ['C.7', { name: 'a host disk', mutate: ov('db-query-runner', 'devices: ["/dev/sda:/dev/sda"]'), evidence: { path: 'services.db-query-runner.devices[0]' } }],
  ['C.8', { name: 'memory limit removed (!reset)', mutate: ov('gateway', 'mem_limit: !reset null'), evidence: { path: 'services.gateway.deploy.resources.limits.memory', message: /no memory limit/ } }],
  ['C.8', { name: 'unlimited pids', mutate: ov('codex-worker', 'pids_limit: -1'), evidence: { path: 'services.codex-worker.pids_limit', found: '-1', file: OV } }],
  ['C.9', { name: 'logging replaced without options (!override)', mutate: ov('gateway', 'logging: !override { driver: json-file }'), evidence: { path: 'services.gateway.logging', file: OV, message: /unbounded/ } }],
  ['C.9', { name: 'syslog driver', mutate: ov('bridge', 'logging: { driver: syslog }'), evidence: { message: /driver syslog/ } }],
  ['C.10', { name: 'restart always', mutate: ov('gateway', 'restart: always'), evidence: { path: 'services.gateway.restart', found: '"always"', file: OV } }],
  ['C.10', { name: 'unbounded on-failure', mutate: ov('bridge', 'restart: on-failure'), evidence: { path: 'services.bridge.restart' } }],
  ['C.11', { name: 'root user', mutate: ov('gateway', 'user: root'), evidence: { path: 'services.gateway.user', found: '"root"' } }],
  ['C.11', { name: 'uid 0 with a group', mutate: ov('codex-worker', 'user: "0:1000"'), evidence: { path: 'services.codex-worker.user' } }],
  ['C.12', { name: 'writable root filesystem', mutate: ov('gateway', 'read_only: false'), evidence: { path: 'services.gateway.read_only', found: 'false', file: OV } }],
  ['C.13', { name: 'no init', mutate: ov('socket-proxy', 'init: false'), evidence: { path: 'services.socket-proxy.init' } }],
  ['C.14', { name: 'healthcheck disabled', mutate: ov('bridge', 'healthcheck: { disable: true }'), evidence: { path: 'services.bridge.healthcheck', message: /disables/ } }],
  ['C.15', { name: 'env_file on the gateway', mutate: ov('gateway', 'env_file: [gateway/.env]'), evidence: { path: 'services.gateway.env_file', file: OV } }],
  ['C.15', { name: 'unlisted variable', mutate: ov('bridge', 'environment: { DEBUG: "1" }'), evidence: { path: 'services.bridge.environment.DEBUG', found: 'DEBUG' } }],
  [
    'C.15',
    {
      name: 'a secret value in the environment',
      mutate: (d) => ov('gateway', `environment: { NODE_ENV: "${secretValue(d, 'openai_api_key')}" }`)(d),
      evidence: { found: 'value of secrets/openai_api_key', path: 'services.gateway.environment.NODE_ENV' },
      alsoFails: ['S.3'],
    },
  ],
  ['C.15', { name: 'a credential-looking value', mutate: ov('gateway', 'environment: { NODE_ENV: "sk-live-abcdefghijklmnopqrstuvwxyz012345" }'), evidence: { message: /looks like a credential/ } }],
  ['C.16', { name: 'internal network made routable', mutate: (d) => override(d, 'networks:\n  internal:\n    internal: false\n'), evidence: { file: OV, line: 3, path: 'networks.internal.internal' } }],
  ['C.16', { name: 'inhibit_ipv4 dropped', mutate: (d) => replaceOnce(d, C, 'com.docker.network.bridge.inhibit_ipv4: "true"\n  proxy', 'com.docker.network.bridge.inhibit_ipv4: "false"\n  proxy'), evidence: { path: 'networks.internal.driver_opts', found: '"false"' } }],
  ['C.17', { name: 'an image on :latest', mutate: ov('gateway', 'image: oss/openclaw-gateway:latest'), evidence: { path: 'services.gateway.image', file: OV } }],
  ['C.17', { name: 'an untagged base image', mutate: (d) => replaceOnce(d, 'gateway/Dockerfile', /^FROM \S+/m, 'FROM node'), evidence: { file: 'gateway/Dockerfile', line: 'any', message: /has no tag/ } }],
  ['C.18', { name: 'gateway on the proxy network', mutate: ov('gateway', 'networks: [proxy]'), evidence: { path: 'services.gateway.networks', message: /extra: proxy/ } }],
  [
    'C.18',
    {
      name: 'an extra service from an override',
      mutate: (d) => override(d, 'services:\n  debug:\n    image: alpine:3.20\n'),
      evidence: { path: 'services.debug', file: OV, line: 2 },
      alsoFails: ['C.3', 'C.4', 'C.8', 'C.9', 'C.10', 'C.11', 'C.12', 'C.13', 'C.14'],
    },
  ],
  [
    'C.1',
    {
      name: 'a privileged service pulled in by include:',
      mutate: (d) => {
        override(d, 'include:\n  - extra/debug.yml\n');
        require('node:fs').mkdirSync(`${d}/extra`);
        write(d, 'extra/debug.yml', 'services:\n  gateway:\n    privileged: true\n');
      },
      evidence: { file: 'extra/debug.yml', line: 3, path: 'services.gateway.privileged' },
      alsoFails: ['C.18'],
    },
  ],
  ['C.18', { name: 'the gateway in another container\'s network namespace', mutate: ov('gateway', 'network_mode: "container:openclaw-bridge"'), evidence: { path: 'services.gateway.network_mode', message: /network_mode container:openclaw-bridge/ } }],
  ['C.18', { name: 'a service that extends another definition', mutate: ov('bridge', 'extends: { file: base.yml, service: root }'), evidence: { path: 'services.bridge.extends', file: OV } }],
];

describe.each(cases)('%s catches', (id, m) => {
  test(m.name, async () => {
    await expectCaught(id, m);
  });
});

test('fixture operator secrets are long enough to be searched for', () => {
  for (const v of Object.values(operatorSecrets)) if (v.length < 8) throw new Error('short fixture secret');
});

describe('other accepted forms stay green', () => {
  const valid: [string, (d: string) => void][] = [
    ['deploy.resources.limits instead of mem_limit/cpus/pids_limit', ov('gateway', 'mem_limit: !reset null\ncpus: !reset null\npids_limit: !reset null\ndeploy: { resources: { limits: { memory: 2g, cpus: "1.5", pids: 256 } } }')],
    ['the local log driver', ov('bridge', 'logging: !override { driver: local }')],
    ['deploy.restart_policy on-failure with a bound', ov('codex-worker', 'restart: !reset null\ndeploy: { restart_policy: { condition: on-failure, max_attempts: 3 } }')],
    ['expose (not ports) on the socket proxy', ov('socket-proxy', 'expose: ["2376"]')],
    [
      'openclaw.json written as JSON5 (comments, trailing commas)',
      (d) => write(d, 'gateway/config/openclaw.json', read(d, 'gateway/config/openclaw.json').replace('{', '{\n  // edited by hand\n').replace(/\n}\n$/, ',\n}\n')),
    ],
  ];
  test.each(valid)('%s', async (_n, mutate) => {
    const d = hardenedStack();
    mutate(d);
    await expectAllPass(d);
  });
});

test('an unreadable openclaw.json errors its checks with a clear message', async () => {
  const d = hardenedStack();
  write(d, 'gateway/config/openclaw.json', '{ "gateway": { "bind": "lan" \n');
  const report = await verifyStatic(d, ['1.3']);
  expect(report.results[0]).toMatchObject({ status: 'error', failsRun: true });
  expect(report.results[0]!.reason).toMatch(/gateway\/config\/openclaw.json is neither JSON nor JSON5/);
});
