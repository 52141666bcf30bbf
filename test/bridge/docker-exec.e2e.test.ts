// The Docker executor against the real engine: the model's exact exec requests, stdin
// written then half-closed, the multiplexed stream, the exit code, and a timeout. The
// worker is a throwaway container with a unique name (never a stack name), holding a
// stand-in at the route's fixed worker path. The engine's unix socket is reached through
// a small TCP forwarder, standing where the socket proxy stands in the stack.
import { execFileSync } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerExecutor } from '../../src/bridge/docker-executor';
import { routes, socketProxy } from '../../src/stack/model';
import { uniqueId, withEngine } from '../e2e/docker-env';

const IMAGE = process.env.OSS_TEST_DEBIAN_IMAGE ?? 'local/debian:bookworm';
const name = uniqueId('oss-bridge-exec');
const query = routes.find((r) => r.name === 'query-readonly')!;
const deploy = routes.find((r) => r.name === 'deploy-staging')!;
let forwarder: Server;
let port = 0;

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

describe.runIf(withEngine)('Docker exec executor on the real engine', () => {
  beforeAll(async () => {
    docker('run', '-d', '--rm', '--name', name, '--network', 'none', IMAGE, 'sleep', '300');
    // stand-ins at the routes' fixed argv paths (root in this throwaway container only)
    const stub = (path: string, body: string) => docker('exec', name, 'sh', '-c', `printf '%s\\n' '#!/bin/sh' '${body}' > ${path} && chmod 755 ${path}`);
    stub(query.workerArgv[0]!, 'cat; echo " <- stdin"; echo note >&2; exit 3');
    stub(deploy.workerArgv[0]!, 'sleep 30');
    forwarder = createServer({ allowHalfOpen: true }, (c) => {
      const u = connect({ path: socketProxy.dockerSocket, allowHalfOpen: true });
      c.pipe(u);
      u.pipe(c);
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => forwarder.listen(0, '127.0.0.1', () => r()));
    port = (forwarder.address() as { port: number }).port;
  }, 60_000);

  afterAll(() => {
    forwarder?.close();
    try {
      docker('rm', '-f', name);
    } catch {
      // already gone
    }
  });

  const ex = () => dockerExecutor({ host: '127.0.0.1', port, containerFor: () => name });

  it('runs the fixed argv with the input on stdin and returns output and exit code', async () => {
    const r = await ex().run({ route: query, input: "select 'a b' -- $(id)", timeoutMs: 20_000, maxOutputBytes: 1 << 20 });
    expect(r.kind).toBe('exited');
    if (r.kind !== 'exited') return;
    expect(r.exitCode).toBe(3);
    expect(r.stdout.toString()).toBe("select 'a b' -- $(id) <- stdin\n");
    expect(r.stderr.toString()).toBe('note\n');
  });

  it('times out a worker that does not finish', async () => {
    const t0 = performance.now();
    const r = await ex().run({ route: deploy, input: '', timeoutMs: 800, maxOutputBytes: 1024 });
    expect(r).toEqual({ kind: 'timeout' });
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
