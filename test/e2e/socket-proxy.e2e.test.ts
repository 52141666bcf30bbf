// The socket proxy against the real engine: HAProxy built from templates/socket-proxy with
// a config rendered by renderHaproxyConfig(), pointed at throwaway worker containers.
// Allowed: ping/version, the pinned exec per worker (create -> start (101 tunnel) ->
// inspect). Everything else is refused by the proxy itself (no Api-Version header, which
// every engine response carries).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamDemux } from '../../src/bridge/docker-executor';
import { runDocker } from '../../src/docker/engine';
import { probeHere, type HttpProbe, type ProbeResult } from '../../src/docker/probe';
import { PROXY_DENY_STATUS, PROXY_INSPECT_DELAY_MS, renderHaproxyConfig } from '../../src/render/haproxy';
import { renderTemplate } from '../../src/render/template';
import { DOCKER_API_VERSION, EXEC_START_BODY, EXEC_START_HEADERS, execCreateBody, routes, socketProxy, type RouteModel } from '../../src/stack/model';
import { repoRoot } from '../helpers/run-oss';
import { uniqueId, withEngine } from './docker-env';

const id = uniqueId('osstest-proxy');
const workerName = (r: RouteModel) => `${id}-${r.worker}`;
const decoyGateway = `${id}-gateway`;
const proxyName = `${id}-proxy`;
const image = `${id}:test`;
const v = `/${DOCKER_API_VERSION}`;
const [codex, deploy] = [routes.find((r) => r.name === 'run-codex')!, routes.find((r) => r.name === 'deploy-staging')!];
let port = 0;
let dir = '';

async function docker(args: string[], input?: string): Promise<string> {
  const r = await runDocker(args, { input, timeoutMs: 300_000, env: { ...process.env, DOCKER_BUILDKIT: '1' } });
  if (r.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

function req(method: string, target: string, extra: Partial<HttpProbe> = {}): HttpProbe {
  return { id: `${method} ${target}`, kind: 'http', host: '127.0.0.1', port, method, target, timeoutMs: 5000, ...extra };
}

/** create -> start (upgrade, stdin, half-close) -> inspect, exactly as the bridge does */
async function execThroughProxy(route: RouteModel, input: string): Promise<{ stdout: string; exitCode: number }> {
  const body = execCreateBody(route);
  const [created] = await probeHere([req('POST', `${v}/containers/${workerName(route)}/exec`, { body, headers: { 'Content-Type': 'application/json' } })]);
  expect(created!.status, created!.body).toBe(201);
  const execId = (JSON.parse(created!.body!) as { Id: string }).Id;
  const stdout = await new Promise<string>((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method: 'POST', path: `${v}/exec/${execId}/start`, agent: false,
      headers: { ...EXEC_START_HEADERS } });
    r.on('response', (res) => reject(new Error(`start answered ${res.statusCode}`)));
    r.on('error', reject);
    r.on('upgrade', (_res, socket, head) => {
      const out: Buffer[] = [];
      const demux = new StreamDemux((s, p) => s === 1 && out.push(Buffer.from(p)));
      if (head.length) demux.push(head);
      socket.on('data', (c: Buffer) => demux.push(c));
      socket.on('error', () => {});
      socket.on('close', () => resolve(Buffer.concat(out).toString('utf8')));
      socket.end(input);
    });
    r.end(EXEC_START_BODY);
  });
  for (let i = 0; i < 50; i++) {
    const [info] = await probeHere([req('GET', `${v}/exec/${execId}/json`)]);
    expect(info!.status).toBe(200);
    const parsed = JSON.parse(info!.body!) as { Running: boolean; ExitCode: number };
    if (!parsed.Running) return { stdout, exitCode: parsed.ExitCode };
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('exec did not finish');
}

describe.runIf(withEngine)('socket proxy (HAProxy) on the real engine', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oss-proxy-'));
    const dockerfile = readFileSync(join(repoRoot, 'templates/socket-proxy/Dockerfile'), 'utf8');
    writeFileSync(join(dir, 'Dockerfile'), renderTemplate('socket-proxy/Dockerfile', dockerfile, {
      'images.debian': process.env.OSS_TEST_DEBIAN_IMAGE ?? 'local/debian:bookworm',
      'socketProxy.port': String(socketProxy.port),
    }));
    writeFileSync(join(dir, 'haproxy.cfg'), renderHaproxyConfig({ workerName }));
    await docker(['build', '-q', '-t', image, dir]);

    // each worker: the pinned entry point prints its name and echoes stdin, exit 7
    await Promise.all([
      ...routes.map((r) => docker(['run', '-d', '--name', workerName(r), '--label', 'osstest=1', '-e', `ENTRY=${r.workerArgv[0]}`,
        'local/busybox:latest', 'sh', '-c',
        'mkdir -p "$(dirname "$ENTRY")" && printf "#!/bin/sh\\necho ran:\\$0\\ncat\\nexit 7\\n" >"$ENTRY" && chmod +x "$ENTRY" && exec sleep 600'])),
      docker(['run', '-d', '--name', decoyGateway, '--label', 'osstest=1', 'local/busybox:latest', 'sleep', '600']),
    ]);
    const gid = (await docker(['run', '--rm', '-v', `${socketProxy.dockerSocket}:/s:ro`, 'local/busybox:latest', 'stat', '-c', '%g', '/s']));
    await docker(['run', '-d', '--name', proxyName, '--label', 'osstest=1', '--read-only', '--cap-drop', 'ALL',
      '--security-opt', 'no-new-privileges:true', '--tmpfs', '/tmp', '--group-add', gid,
      '-v', `${socketProxy.dockerSocket}:${socketProxy.dockerSocket}:ro`, '-p', `127.0.0.1::${socketProxy.port}`, image]);
    port = Number((await docker(['port', proxyName, `${socketProxy.port}/tcp`])).split('\n')[0]!.split(':').pop());
    for (let i = 0; i < 100; i++) {
      const [p] = await probeHere([req('GET', '/_ping')]);
      if (p!.status === 200) break;
      await new Promise((res) => setTimeout(res, 100));
    }
  }, 300_000);

  afterAll(async () => {
    await runDocker(['rm', '-f', '-v', proxyName, decoyGateway, ...routes.map(workerName)]);
    await runDocker(['rmi', image]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('answers ping and version from the engine', async () => {
    const res = await probeHere([req('GET', '/_ping'), req('GET', `${v}/_ping`), req('GET', '/version'), req('GET', `${v}/version`)]);
    for (const r of res) {
      expect(r.status, r.id).toBe(200);
      expect(r.headers?.['api-version'], r.id).toBeTruthy();
    }
  });

  it.each(routes.map((r) => [r.name, r] as const))('runs the pinned exec of %s: create, start (101), inspect', async (_n, route) => {
    const { stdout, exitCode } = await execThroughProxy(route, 'hello from stdin\n');
    expect(stdout).toBe(`ran:${route.workerArgv[0]}\nhello from stdin\n`);
    expect(exitCode).toBe(7);
  });

  it('refuses every other call before it reaches the engine', async () => {
    const cw = workerName(codex);
    const json = { 'Content-Type': 'application/json' };
    const codexBody = execCreateBody(codex);
    const shell = JSON.stringify({ AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false, Cmd: ['sh', '-c', 'id'] });
    const forbidden: HttpProbe[] = [
      req('GET', `${v}/containers/json`),
      req('GET', '/containers/json'),
      req('POST', `${v}/containers/create`, { body: '{"Image":"local/busybox:latest"}', headers: json }),
      req('POST', `${v}/containers/${decoyGateway}/exec`, { body: codexBody, headers: json }),
      req('POST', `${v}/containers/${proxyName}/exec`, { body: codexBody, headers: json }),
      req('POST', `${v}/containers/${cw}/exec`, { body: execCreateBody(deploy), headers: json }),
      req('POST', `${v}/containers/${cw}/exec`, { body: shell, headers: json }),
      req('POST', `${v}/containers/${cw}/exec`, { body: codexBody.replace(',', ', '), headers: json }),
      req('POST', `${v}/containers/${cw}/exec`, { body: `${codexBody} `, headers: json }),
      req('POST', `${v}/containers/${cw}/exec`, { body: codexBody, headers: json, chunked: true }),
      req('POST', `${v}/containers/${cw}/exec?x=1`, { body: codexBody, headers: json }),
      req('POST', `/containers/${cw}/exec`, { body: codexBody, headers: json }),
      req('POST', `/v1.40/containers/${cw}/exec`, { body: codexBody, headers: json }),
      req('POST', `${v}/containers/${cw.replace('-', '%2D')}/exec`, { body: codexBody, headers: json }),
      req('POST', `${v}/containers/${decoyGateway.replace(/y/g, '%79')}/exec`, { body: codexBody, headers: json }),
      req('GET', `${v}/containers%2Fjson`),
      req('GET', `${v}/%63ontainers/json`),
      req('GET', `/${v}/containers/json`),
      req('GET', `${v}//containers/json`),
      req('POST', `${v}/containers/${cw}/../${decoyGateway}/exec`, { body: codexBody, headers: json }),
      req('GET', `${v}/exec/../containers/json`),
      req('GET', `${v}/./containers/json`),
      req('POST', `http://127.0.0.1${v}/containers/${decoyGateway}/exec`, { body: codexBody, headers: json }),
      req('POST', `${v}/exec/${'a'.repeat(64)}/start`, { body: '{"Detach":true,"Tty":false}', headers: json }),
      req('POST', `${v}/exec/${'a'.repeat(64)}/resize?h=1&w=1`),
      req('HEAD', '/_ping'),
      req('POST', '/_ping'),
      req('GET', `${v}/images/json`),
      req('POST', `${v}/images/create?fromImage=busybox`),
      req('GET', `${v}/volumes`),
      req('POST', `${v}/volumes/create`, { body: '{}', headers: json }),
      req('GET', `${v}/networks`),
      req('POST', `${v}/networks/create`, { body: '{"Name":"x"}', headers: json }),
      req('GET', `${v}/containers/${cw}/archive?path=/`),
      req('PUT', `${v}/containers/${cw}/archive?path=/tmp`, { body: 'x' }),
      req('GET', `${v}/containers/${cw}/export`),
      req('GET', `${v}/containers/${cw}/json`),
      req('POST', `${v}/containers/${cw}/kill`),
      req('DELETE', `${v}/containers/${cw}`),
      req('POST', `${v}/containers/${cw}/attach?stream=1&stdin=1`),
      req('GET', `${v}/info`),
      req('GET', `${v}/events`),
      req('POST', `${v}/build`),
      req('GET', `${v}/secrets`),
      req('POST', `${v}/swarm/init`, { body: '{}', headers: json }),
    ];
    // exec start: only the exact bytes of the model pass the TCP front door; anything else
    // is held for the inspect delay and then dropped without an answer
    const startTarget = `${v}/exec/${'a'.repeat(64)}/start`;
    const startHeaders = { ...EXEC_START_HEADERS };
    const slow = { timeoutMs: PROXY_INSPECT_DELAY_MS + 3000 };
    const dropped: HttpProbe[] = [
      req('POST', startTarget, { ...slow, body: EXEC_START_BODY, headers: { ...startHeaders, Connection: 'Upgrade' } }),
      req('POST', startTarget, { ...slow, body: '{"Detach":true,"Tty":false}', headers: startHeaders }),
      req('POST', startTarget, { ...slow, body: `${EXEC_START_BODY}GET ${v}/containers/json HTTP/1.1\r\nHost: x\r\n\r\n`, headers: startHeaders }),
      req('POST', `${v}/exec/${'a'.repeat(64)}/resize`, { ...slow, body: EXEC_START_BODY, headers: startHeaders }),
      req('POST', `${v}/exec/${'a'.repeat(63)}/start`, { ...slow, body: EXEC_START_BODY, headers: startHeaders }),
    ];
    const results = await probeHere([...forbidden, ...dropped].map((p) => ({ ...p, ...slow })));
    // refused = answered 400/403 by the proxy itself (no Api-Version header, which every
    // engine answer carries), or closed by the front door without any answer
    const refused = (r: ProbeResult) =>
      r.connected && r.error === undefined && (r.status === undefined || ([400, PROXY_DENY_STATUS].includes(r.status) && !r.headers?.['api-version']));
    const leaked = results.filter((r) => !refused(r));
    expect(leaked.map((r) => `${r.id} -> ${r.status ?? r.error} ${r.headers?.['api-version'] ? '(reached the engine)' : ''}`)).toEqual([]);
    expect(results).toHaveLength(forbidden.length + dropped.length);
    // the HTTP-level refusals are answered at once, with a status
    expect(results.filter((r) => r.status !== undefined).length).toBeGreaterThanOrEqual(forbidden.length - 3);
  });

  it('an exact exec start for an unknown exec gets one answer and the engine closes the connection', async () => {
    const lines = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      const sock = connect(port, '127.0.0.1', () => {
        let head = `POST ${v}/exec/${'b'.repeat(64)}/start HTTP/1.1\r\n`;
        for (const [k, val] of Object.entries(EXEC_START_HEADERS)) head += `${k}: ${val}\r\n`;
        sock.write(`${head}Host: 127.0.0.1:${port}\r\n\r\n${EXEC_START_BODY}`);
        // a second request after the first answer must never be read
        setTimeout(() => sock.writable && sock.write(`GET ${v}/containers/json HTTP/1.1\r\nHost: x\r\n\r\n`), 300);
      });
      sock.on('data', (d: Buffer) => chunks.push(d));
      sock.on('error', () => {});
      sock.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      setTimeout(() => sock.destroy(), 4000);
    });
    expect(lines).toMatch(/^HTTP\/1\.1 404 /);
    expect(lines.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  });

  it('still runs the pinned exec after the refusals (no state leaked between requests)', async () => {
    const { exitCode } = await execThroughProxy(deploy, '');
    expect(exitCode).toBe(7);
  });
});
